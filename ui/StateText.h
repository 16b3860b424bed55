#pragma once

#include "config/ConfigProblem.h"
#include "service/ConfigEdit.h"
#include "types/RelaySnapshot.h"

#include <QCoreApplication>
#include <QString>

namespace relay {

// The words the windows use for what the core reports in codes, in the current language.
class StateText
{
    Q_DECLARE_TR_FUNCTIONS(StateText)
public:
    static QString state(RelayState state);
    // One sentence: why the relay is in its state and, if it needs the user, what to do.
    static QString reason(const RelaySnapshot &snapshot);
    static QString keyState(KeyState state);
    static QString problem(const ConfigProblem &problem);
    // Why an edit was not even tried (empty for none).
    static QString refusal(const ConfigEditResult &result);
    // Every problem of an edit, "path: explanation", and its refusal, one per line.
    static QString editResult(const ConfigEditResult &result);
    // "3 s", "4 min 10 s", "2 h 5 min"
    static QString duration(qint64 ms);
    static QString tokens(qint64 count); // 12,345 or 1.2 M
    // A second launch found the running one hung.
    static QString notAnswering();
};

} // namespace relay
