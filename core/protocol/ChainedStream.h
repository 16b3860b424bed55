#pragma once

#include "StreamTranslator.h"

#include <memory>

namespace relay {

// Two translations in a row through the OpenAI format (Gemini -> OpenAI -> Anthropic): every
// event the first emits goes straight into the second, so nothing waits for the end.
class ChainedStream final : public StreamTranslator
{
public:
    ChainedStream(std::unique_ptr<StreamTranslator> first,
                  std::unique_ptr<StreamTranslator> second);

    QByteArray feed(const QByteArray &upstreamBytes) override;
    QByteArray finish() override;
    QByteArray fail(const QString &message) override;
    QByteArray keepAlive() override { return m_second->keepAlive(); }
    bool isDone() const override { return m_second->isDone(); }
    bool failed() const override { return m_second->failed(); }

private:
    std::unique_ptr<StreamTranslator> m_first;
    std::unique_ptr<StreamTranslator> m_second;
};

} // namespace relay
