#include "ConfigProblem.h"

#include <QHash>

namespace relay {

namespace {
// English explanations by code; %1... are the problem's args. The GUI has its own translated
// table keyed by the same codes (ui/StateText).
const QHash<QString, QString> &explanations()
{
    static const QHash<QString, QString> table {
        { QStringLiteral("required"), QStringLiteral("missing; this field is required") },
        { QStringLiteral("not_string"), QStringLiteral("must be a string in quotes") },
        { QStringLiteral("empty"), QStringLiteral("must not be empty") },
        { QStringLiteral("not_integer"), QStringLiteral("must be a whole number") },
        { QStringLiteral("out_of_range"), QStringLiteral("must be between %1 and %2") },
        { QStringLiteral("not_boolean"), QStringLiteral("must be true or false (without quotes)") },
        { QStringLiteral("not_string_list"),
          QStringLiteral("must be a list of strings, like [\"gpt-4o\", \"gpt-4o-*\"]") },
        { QStringLiteral("not_string_map"),
          QStringLiteral("must be an object of strings, like {\"from\": \"to\"}") },
        { QStringLiteral("empty_string"), QStringLiteral("must be a non-empty string") },
        { QStringLiteral("not_object"), QStringLiteral("must be an object { ... }") },
        { QStringLiteral("not_array"), QStringLiteral("must be a list [ ... ]") },
        { QStringLiteral("unknown_field"), QStringLiteral("unknown field; known fields here: %1") },
        { QStringLiteral("invalid_json"),
          QStringLiteral("not valid JSON at line %1, column %2: %3") },
        { QStringLiteral("not_json_object"),
          QStringLiteral("the file must hold one JSON object { ... }") },
        { QStringLiteral("unreadable"), QStringLiteral("cannot read %1; check its permissions") },
        { QStringLiteral("unknown_type"),
          QStringLiteral("unknown type \"%1\"; use openai, anthropic or gemini") },
        { QStringLiteral("invalid_url"),
          QStringLiteral("not a URL; write it like https://api.openai.com/v1") },
        { QStringLiteral("invalid_proxy"),
          QStringLiteral("use \"system\", \"none\", http://host:port or socks5://host:port") },
        { QStringLiteral("invalid_daily_reset"),
          QStringLiteral("write a time and a time zone, like \"00:00 UTC\" or \"00:00 "
                         "America/Los_Angeles\"") },
        { QStringLiteral("invalid_header"),
          QStringLiteral("header \"%1\": a name of letters, digits and !#$%&'*+-.^_`|~ only, "
                         "and a value on one line") },
        { QStringLiteral("duplicate_key_id"),
          QStringLiteral("duplicate key id \"%1\"; give each key its own id") },
        { QStringLiteral("duplicate_upstream_id"),
          QStringLiteral("duplicate upstream id \"%1\"; ids must be unique") },
        { QStringLiteral("invalid_address"),
          QStringLiteral("not an IP address; use 127.0.0.1, or 0.0.0.0 for the LAN") },
        { QStringLiteral("invalid_instance_id"),
          QStringLiteral("use letters, digits and '-' only (at most 64); it names this "
                         "configuration's keychain entries, so change it only to point at "
                         "other entries") },
        { QStringLiteral("too_short"),
          QStringLiteral("too short (at least 16 characters); delete it and generate a strong "
                         "one (see README)") },
        { QStringLiteral("unknown_trait"),
          QStringLiteral("unknown trait \"%1\"; use thinking, images, longInput or background") },
        { QStringLiteral("unknown_upstream"),
          QStringLiteral("no upstream has the id \"%1\"; use one of upstreams[].id") },
        { QStringLiteral("unknown_strategy"),
          QStringLiteral("unknown strategy \"%1\"; use round-robin, random, weighted, priority "
                         "or least-inflight") },
        // Raised by the service around an edit, not by the parser; %1 says why.
        { QStringLiteral("no_config_file"),
          QStringLiteral("this relay runs without a config file (quick start)") },
        { QStringLiteral("secrets_failed"), QStringLiteral("%1") },
        { QStringLiteral("port_unavailable"),
          QStringLiteral("port %1 cannot be opened (%2); choose another port") },
        { QStringLiteral("no_free_port"),
          QStringLiteral("no free port between %1 and %2; close the program that uses them or "
                         "choose a port yourself") },
        { QStringLiteral("not_saved"),
          QStringLiteral("the change was not saved, so not applied: %1") },
    };
    return table;
}
} // namespace

QString ConfigProblem::explanation() const
{
    // %1...%9 replaced in one pass, so an argument that holds "%2" stays as it is.
    const QString pattern = explanations().value(code, code);
    QString text;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == u'%' && i + 1 < pattern.size() && pattern.at(i + 1).isDigit()) {
            text += args.value(pattern.at(i + 1).digitValue() - 1);
            ++i;
        } else {
            text += c;
        }
    }
    return text;
}

QString ConfigProblem::message() const
{
    return path.isEmpty() ? explanation() : path + QStringLiteral(": ") + explanation();
}

QJsonObject ConfigProblem::toJson() const
{
    return { { QStringLiteral("path"), path },
             { QStringLiteral("code"), code },
             { QStringLiteral("args"), QJsonArray::fromStringList(args) },
             { QStringLiteral("message"), message() } };
}

QStringList ConfigProblem::messages(const QList<ConfigProblem> &problems)
{
    QStringList out;
    out.reserve(problems.size());
    for (const ConfigProblem &p : problems)
        out.append(p.message());
    return out;
}

QJsonArray ConfigProblem::toJson(const QList<ConfigProblem> &problems)
{
    QJsonArray out;
    for (const ConfigProblem &p : problems)
        out.append(p.toJson());
    return out;
}

} // namespace relay
