#include "StateText.h"

#include <QLocale>

namespace relay {

QString StateText::state(RelayState state)
{
    switch (state) {
    case RelayState::Starting:
        return tr("Starting");
    case RelayState::Healthy:
        return tr("Running");
    case RelayState::Degraded:
        return tr("Running, some keys unavailable");
    case RelayState::Down:
        return tr("Not working");
    case RelayState::Paused:
        return tr("Paused");
    case RelayState::Stopped:
        return tr("Stopped");
    }
    return {};
}

QString StateText::reason(const RelaySnapshot &s)
{
    int enabled = 0;
    for (const UpstreamSnapshot &u : s.upstreams) {
        for (const KeySnapshot &k : u.keys)
            enabled += u.enabled && k.enabled ? 1 : 0;
    }
    const QString r = s.reason;
    if (r == u"port_taken")
        return tr("Port %1 is used by another program. Move to a free port, or close that "
                  "program.")
            .arg(s.configuredPort);
    if (r == u"port_refused")
        return tr("The system does not allow port %1 (on Windows often a range kept for "
                  "Hyper-V, WSL or Docker). Move to a free port.")
            .arg(s.configuredPort);
    if (r == u"listen_failed")
        return tr("Cannot open the port: %1").arg(s.detail);
    if (r == u"start_failed")
        return tr("The relay could not start: %1").arg(s.detail);
    if (r == u"no_upstream")
        return tr("No provider with a key yet. Add one under Upstreams.");
    if (r == u"no_usable_key")
        return tr("None of the %n key(s) can be used now; see the table below.", nullptr, enabled);
    if (r == u"some_keys_unusable")
        return tr("%1 of %2 keys cannot be used now; requests go to the others.")
            .arg(enabled - s.usableKeys())
            .arg(enabled);
    if (r == u"paused")
        return tr("Paused: clients cannot connect until you resume.");
    if (r == u"starting")
        return tr("Starting…");
    if (r == u"stopped")
        return tr("Stopped.");
    return tr("Relaying requests.");
}

QString StateText::keyState(KeyState state)
{
    switch (state) {
    case KeyState::Ok:
        return tr("OK");
    case KeyState::Limited:
        return tr("At its limit");
    case KeyState::Cooldown:
        return tr("Cooling down");
    case KeyState::Invalid:
        return tr("Invalid");
    case KeyState::Disabled:
        return tr("Disabled");
    case KeyState::MissingSecret:
        return tr("No key stored");
    }
    return {};
}

QString StateText::problem(const ConfigProblem &p)
{
    const QString a1 = p.args.value(0);
    const QString a2 = p.args.value(1);
    const QString &c = p.code;
    if (c == u"required" || c == u"empty")
        return tr("Required.");
    if (c == u"not_integer")
        return tr("Enter a whole number.");
    if (c == u"out_of_range")
        return tr("Must be between %1 and %2.").arg(a1, a2);
    if (c == u"invalid_url")
        return tr("Not a URL; write it like https://api.openai.com/v1");
    if (c == u"invalid_proxy")
        return tr("Use system, none, http://host:port or socks5://host:port.");
    if (c == u"invalid_daily_reset")
        return tr("Write a time and a time zone, like 00:00 UTC or 00:00 America/Los_Angeles.");
    if (c == u"duplicate_header")
        return tr("Header \"%1\" is there twice (names ignore case); keep one.").arg(a1);
    if (c == u"invalid_header")
        return tr("Header \"%1\": use letters, digits and - in the name, and keep the value on "
                  "one line.")
            .arg(a1);
    if (c == u"unknown_type")
        return tr("Unknown API format \"%1\"; use openai, anthropic or gemini.").arg(a1);
    if (c == u"duplicate_key_id")
        return tr("This key is already there.");
    if (c == u"duplicate_upstream_id")
        return tr("An upstream with this id exists; choose another name.");
    if (c == u"invalid_address")
        return tr("Not an IP address; use 127.0.0.1, or 0.0.0.0 for the LAN.");
    if (c == u"unknown_strategy")
        return tr("Unknown strategy.");
    if (c == u"port_unavailable")
        return tr("Port %1 cannot be opened (%2); choose another port.").arg(a1, a2);
    if (c == u"no_free_port")
        return tr("No free port between %1 and %2.").arg(a1, a2);
    if (c == u"no_config_file")
        return tr("This relay runs without a config file; nothing can be saved.");
    if (c == u"secrets_failed")
        return tr("The keychain refused: %1").arg(a1);
    if (c == u"not_saved")
        return tr("Could not save the change: %1").arg(a1);
    // Codes the windows cannot produce by themselves: the core's English text.
    return p.explanation();
}

QString StateText::refusal(const ConfigEditResult &r)
{
    switch (r.refusal) {
    case ConfigEdit::Refusal::None:
        return {};
    case ConfigEdit::Refusal::UnknownUpstream:
        return tr("This upstream is no longer in the configuration (removed meanwhile?); nothing "
                  "was changed.");
    case ConfigEdit::Refusal::UnknownKey:
        return tr("This key is no longer in the configuration (removed meanwhile?); nothing was "
                  "changed.");
    case ConfigEdit::Refusal::DuplicateId:
        return tr("An upstream or key with this id exists already; nothing was changed.");
    }
    return r.message;
}

QString StateText::editResult(const ConfigEditResult &r)
{
    QStringList lines;
    for (const ConfigProblem &p : r.problems)
        lines.append(p.path + QStringLiteral(": ") + problem(p));
    if (r.refusal != ConfigEdit::Refusal::None)
        lines.append(refusal(r));
    return lines.join(u'\n');
}

QString StateText::duration(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, (ms + 999) / 1000);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
}

QString StateText::tokens(qint64 count)
{
    if (count >= 10000000)
        return tr("%1 M").arg(QLocale().toString(double(count) / 1e6, 'f', 1));
    return QLocale().toString(count);
}

QString StateText::notAnswering()
{
#ifdef Q_OS_WIN
    return tr("LLM Relay is already running but does not answer. End llm-relay.exe in the Task "
              "Manager, then start LLM Relay again.");
#else
    return tr("LLM Relay is already running but does not answer. End the llm-relay process (for "
              "example with: pkill -x llm-relay), then start LLM Relay again.");
#endif
}

} // namespace relay
