#pragma once

#include "config/ConfigProblem.h"

#include <QJsonObject>
#include <QMetaType>
#include <QStringList>

namespace relay {

// One change to the configuration, applied to the file's current content (so that an edit
// made by hand meanwhile is kept). The admin API and the GUI both describe changes this way;
// RelayController validates and applies them.
struct ConfigEdit
{
    enum class Op {
        MergeSettings, // value: a JSON merge patch (RFC 7386) of the top level, upstreams excluded
        AddUpstream, // value: the upstream (keys may carry "key" secrets)
        ReplaceUpstream, // upstreamId, value
        PatchUpstream, // upstreamId, value: merge patch
        RemoveUpstream, // upstreamId
        MoveUpstream, // upstreamId, index: its new position (file order is priority order)
        AddKey, // upstreamId, value
        PatchKey, // upstreamId, keyId, value: merge patch
        RemoveKey, // upstreamId, keyId
    };
    Op op = Op::MergeSettings;
    QString upstreamId;
    QString keyId;
    QJsonObject value;
    int index = 0;

    // Why an edit could not even be tried.
    enum class Refusal { None, UnknownUpstream, UnknownKey, DuplicateId };
    struct Applied
    {
        QJsonObject root; // the edited configuration
        QStringList forget; // keychain refs no key uses any more
        QString upstreamId; // the upstream the edit touched, for the answer
        Refusal refusal = Refusal::None;
        QString message; // for a refusal
    };
    // The edit applied to `root` (the configuration as the file holds it, no secrets).
    Applied applyTo(QJsonObject root) const;

    static QJsonObject mergePatch(QJsonObject target, const QJsonObject &patch);
    // The merge patch that turns `before` into `after`: what changed, null for what is gone
    // (so a null in `after` removes too, as RFC 7386 has it).
    // Applied to a file edited by hand meanwhile, it keeps that edit's other fields.
    static QJsonObject mergeDiff(const QJsonObject &before, const QJsonObject &after);
};

// What an edit came to: Refusal::None and no problems once it is saved and live.
struct ConfigEditResult
{
    ConfigEdit::Refusal refusal = ConfigEdit::Refusal::None;
    QString message;
    ConfigProblems problems;
    QJsonObject upstream; // the touched upstream as saved (no secrets), if any

    bool ok() const { return refusal == ConfigEdit::Refusal::None && problems.isEmpty(); }
};

} // namespace relay

Q_DECLARE_METATYPE(relay::ConfigEdit)
Q_DECLARE_METATYPE(relay::ConfigEditResult)
