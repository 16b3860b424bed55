#pragma once

#include <QLabel>

namespace relay {

// The red line under a field that says what is wrong with it; hidden while nothing is.
class ProblemLabel final : public QLabel
{
    Q_OBJECT
public:
    explicit ProblemLabel(QWidget *parent = nullptr);

    // An empty text hides the label.
    void setProblem(const QString &text);
};

} // namespace relay
