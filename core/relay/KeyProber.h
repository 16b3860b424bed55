#pragma once

#include "config/UpstreamConfig.h"
#include "types/KeyProbeResult.h"

#include <QObject>
#include <functional>

namespace relay {

class UpstreamClient;

// Tests a key, saved or not, by listing the provider's models with it.
class KeyProber final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kTimeoutMs = 20000;

    explicit KeyProber(UpstreamClient &client, QObject *parent = nullptr);

    using Done = std::function<void(const KeyProbeResult &result)>;
    void probe(const UpstreamConfig &upstream, const QString &secret, Done done);

    // The model ids in an OpenAI ({"data":[{"id"}]}), Anthropic (the same) or Gemini
    // ({"models":[{"name":"models/x"}]}) model list.
    static QStringList modelIds(const QByteArray &body);

private:
    UpstreamClient &m_client;
};

} // namespace relay
