#include "RelayTestCase.h"

#include <QtTest>

namespace relay::test {

void RelayTestCase::init()
{
    m_relay = std::make_unique<RelayFixture>();
    m_a = std::make_unique<FakeUpstream>(QStringLiteral("A"));
    m_b = std::make_unique<FakeUpstream>(QStringLiteral("B"));
    QVERIFY(m_a->start());
    QVERIFY(m_b->start());
}

void RelayTestCase::cleanup()
{
    m_relay.reset();
    m_a.reset();
    m_b.reset();
}

QJsonObject RelayTestCase::keyStatus(const QString &label)
{
    TestResponse *r = m_relay->request("GET", "/relay/status");
    RelayFixture::wait(r);
    for (const QJsonValue &u : r->json().value("upstreams").toArray()) {
        for (const QJsonValue &k : u.toObject().value("keys").toArray()) {
            if (k.toObject().value("label").toString() == label)
                return k.toObject();
        }
    }
    return {};
}

} // namespace relay::test
