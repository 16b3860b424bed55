#pragma once

#include <QWidget>

class QTabWidget;
class QLabel;

namespace relay {

class RelayHost;

// "Connect a client": the exact fields to fill in for each popular client, with the live port,
// and copy buttons. The access key is fetched only when a copy needs it and never shown.
class ConnectPage final : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectPage(RelayHost &host, QWidget *parent = nullptr);

    void setPort(quint16 port);

Q_SIGNALS:
    void copied(const QString &what);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Field
    {
        QString label;
        QString value; // "{key}" stands for the access key
    };
    void rebuild();
    QWidget *clientTab(const QString &intro, const QList<Field> &fields);
    void copy(const QString &value);

    RelayHost &m_host;
    quint16 m_port = 0;
    QLabel *m_intro;
    QTabWidget *m_tabs;
};

} // namespace relay
