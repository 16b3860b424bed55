#include "ProblemLabel.h"

namespace relay {

ProblemLabel::ProblemLabel(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setStyleSheet(QStringLiteral("color: #d83b3b"));
    hide();
}

void ProblemLabel::setProblem(const QString &text)
{
    setText(text);
    setVisible(!text.isEmpty());
}

} // namespace relay
