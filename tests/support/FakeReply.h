#pragma once

#include "FakeProvider.h"

#include <QJsonObject>
#include <QStringList>

namespace relay::test {

// What the fake provider's model says to a turn, whatever API it speaks (FakeProvider).
struct FakeReply
{
    QString reasoning;
    QString text;
    QString tool; // a call of this tool instead of an answer
    QJsonObject args;

    static FakeReply to(const FakeProvider::Turn &turn);
    // Halves, so clients have to join fragments.
    static QStringList split(const QString &text);
    static QByteArray json(const QJsonObject &object);
};

} // namespace relay::test
