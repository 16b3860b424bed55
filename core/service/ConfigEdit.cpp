#include "ConfigEdit.h"

#include "secrets/KeyStore.h"

#include <QJsonArray>
#include <algorithm>

namespace relay {

namespace {
qsizetype indexById(const QJsonArray &array, const QString &id)
{
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (array.at(i).toObject().value(u"id").toString() == id)
            return i;
    }
    return -1;
}

QStringList keyRefs(const QString &upstreamId, const QJsonArray &keys)
{
    QStringList refs;
    for (const QJsonValue &k : keys)
        refs.append(KeyStore::upstreamKeyRef(upstreamId, k.toObject().value(u"id").toString()));
    return refs;
}
} // namespace

QJsonObject ConfigEdit::mergePatch(QJsonObject target, const QJsonObject &patch)
{
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it.value().isNull())
            target.remove(it.key());
        else if (it.value().isObject()) // merged into what is there; nulls inside never kept
            target.insert(it.key(),
                          mergePatch(target.value(it.key()).toObject(), it.value().toObject()));
        else
            target.insert(it.key(), it.value());
    }
    return target;
}

QJsonObject ConfigEdit::mergeDiff(const QJsonObject &before, const QJsonObject &after)
{
    QJsonObject patch;
    for (auto it = after.begin(); it != after.end(); ++it) {
        const QJsonValue old = before.value(it.key());
        if (old == it.value())
            continue;
        patch.insert(it.key(),
                     old.isObject() && it.value().isObject()
                         ? QJsonValue(mergeDiff(old.toObject(), it.value().toObject()))
                         : it.value());
    }
    for (auto it = before.begin(); it != before.end(); ++it) {
        if (!after.contains(it.key()))
            patch.insert(it.key(), QJsonValue::Null);
    }
    return patch;
}

ConfigEdit::Applied ConfigEdit::applyTo(QJsonObject root) const
{
    Applied out;
    QJsonArray upstreams = root.value(u"upstreams").toArray();
    const auto refuse = [&out](Refusal refusal, const QString &message) {
        out.refusal = refusal;
        out.message = message;
        return out;
    };
    if (op == Op::MergeSettings) {
        QJsonObject patch = value;
        patch.remove(QStringLiteral("upstreams"));
        out.root = mergePatch(root, patch);
        return out;
    }
    if (op == Op::AddUpstream) {
        const QString id = value.value(u"id").toString();
        if (indexById(upstreams, id) >= 0)
            return refuse(Refusal::DuplicateId,
                          QStringLiteral("An upstream \"%1\" exists; replace or change it "
                                         "instead.")
                              .arg(id));
        upstreams.append(value);
        root.insert(QStringLiteral("upstreams"), upstreams);
        out.root = root;
        out.upstreamId = id;
        return out;
    }
    const qsizetype at = indexById(upstreams, upstreamId);
    if (at < 0)
        return refuse(Refusal::UnknownUpstream,
                      QStringLiteral("There is no upstream \"%1\".").arg(upstreamId));
    QJsonObject upstream = upstreams.at(at).toObject();
    QJsonArray keys = upstream.value(u"keys").toArray();
    out.upstreamId = upstreamId;
    switch (op) {
    case Op::ReplaceUpstream:
    case Op::PatchUpstream: {
        QJsonObject changed = value;
        changed.remove(QStringLiteral("id"));
        upstream = op == Op::ReplaceUpstream ? changed : mergePatch(upstream, changed);
        upstream.insert(QStringLiteral("id"), upstreamId);
        // Keys the upstream no longer has leave the keychain.
        const QJsonArray kept = upstream.value(u"keys").toArray();
        for (const QJsonValue &k : std::as_const(keys)) {
            const QString keyId = k.toObject().value(u"id").toString();
            if (indexById(kept, keyId) < 0)
                out.forget.append(KeyStore::upstreamKeyRef(upstreamId, keyId));
        }
        upstreams.replace(at, upstream);
        root.insert(QStringLiteral("upstreams"), upstreams);
        out.root = root;
        return out;
    }
    case Op::RemoveUpstream:
        out.forget = keyRefs(upstreamId, keys);
        upstreams.removeAt(at);
        root.insert(QStringLiteral("upstreams"), upstreams);
        out.root = root;
        out.upstreamId.clear();
        return out;
    case Op::MoveUpstream: {
        upstreams.removeAt(at);
        upstreams.insert(std::clamp<qsizetype>(index, 0, upstreams.size()), upstream);
        root.insert(QStringLiteral("upstreams"), upstreams);
        out.root = root;
        return out;
    }
    case Op::AddKey:
        if (indexById(keys, value.value(u"id").toString()) >= 0)
            return refuse(
                Refusal::DuplicateId,
                QStringLiteral("That key id exists in \"%1\"; change it instead.").arg(upstreamId));
        keys.append(value);
        break;
    case Op::PatchKey:
    case Op::RemoveKey: {
        const qsizetype k = indexById(keys, keyId);
        if (k < 0)
            return refuse(Refusal::UnknownKey,
                          QStringLiteral("\"%1\" has no key \"%2\".").arg(upstreamId, keyId));
        if (op == Op::RemoveKey) {
            keys.removeAt(k);
            out.forget.append(KeyStore::upstreamKeyRef(upstreamId, keyId));
        } else {
            QJsonObject patch = value;
            patch.remove(QStringLiteral("id"));
            keys.replace(k, mergePatch(keys.at(k).toObject(), patch));
        }
        break;
    }
    case Op::MergeSettings:
    case Op::AddUpstream:
        break; // handled above
    }
    upstream.insert(QStringLiteral("keys"), keys);
    upstreams.replace(at, upstream);
    root.insert(QStringLiteral("upstreams"), upstreams);
    out.root = root;
    return out;
}

} // namespace relay
