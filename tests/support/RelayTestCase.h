#pragma once

#include "RelayFixture.h"

#include <QObject>
#include <memory>

namespace relay::test {

// Base of the integration test classes: a fresh relay fixture and two fake upstreams ("A" and
// "B") for every test function.
class RelayTestCase : public QObject
{
    Q_OBJECT
protected Q_SLOTS:
    // Run by Qt Test before and after every test function (by name, whatever the access).
    void init();
    void cleanup();

protected:
    // The status entry of the key with this label, from GET /relay/status.
    QJsonObject keyStatus(const QString &label);

    std::unique_ptr<RelayFixture> m_relay;
    std::unique_ptr<FakeUpstream> m_a;
    std::unique_ptr<FakeUpstream> m_b;
};

} // namespace relay::test
