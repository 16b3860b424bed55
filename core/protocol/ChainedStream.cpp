#include "ChainedStream.h"

namespace relay {

ChainedStream::ChainedStream(std::unique_ptr<StreamTranslator> first,
                             std::unique_ptr<StreamTranslator> second)
    : m_first(std::move(first))
    , m_second(std::move(second))
{ }

QByteArray ChainedStream::feed(const QByteArray &bytes)
{
    return m_second->feed(m_first->feed(bytes));
}

QByteArray ChainedStream::finish()
{
    // The first's closing chunks (or its error chunk) complete or fail the second.
    QByteArray out = m_second->feed(m_first->finish());
    return out + m_second->finish();
}

QByteArray ChainedStream::fail(const QString &message)
{
    return m_second->fail(message);
}

} // namespace relay
