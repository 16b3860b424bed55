#pragma once

#include <QByteArray>
#include <QString>

namespace relay::test {

QByteArray readFile(const QString &path);

// In a _data() slot: a "base" column with one row per tests/data/<folder>/NAME<inputSuffix>
// (the row's value is the path without the suffix), failing if fewer than `minimum` exist.
void addGoldenRows(const QString &folder, const QString &inputSuffix, int minimum);

} // namespace relay::test
