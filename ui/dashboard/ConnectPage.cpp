#include "ConnectPage.h"

#include "service/RelayHost.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace relay {

namespace {
const QString kKey = QStringLiteral("{key}");
}

ConnectPage::ConnectPage(RelayHost &host, QWidget *parent)
    : QWidget(parent)
    , m_host(host)
    , m_intro(new QLabel(this))
    , m_tabs(new QTabWidget(this))
{
    m_intro->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_tabs, 1);
    rebuild();
}

void ConnectPage::setPort(quint16 port)
{
    if (port == m_port || port == 0)
        return;
    m_port = port;
    rebuild();
}

void ConnectPage::copy(const QString &value)
{
    if (!value.contains(kKey)) {
        QApplication::clipboard()->setText(value);
        Q_EMIT copied(tr("Copied"));
        return;
    }
    m_host.fetchAccessKey([this, value](const QString &key) {
        QString text = value;
        QApplication::clipboard()->setText(text.replace(kKey, key));
        Q_EMIT copied(tr("Copied, with the access key"));
    });
}

QWidget *ConnectPage::clientTab(const QString &intro, const QList<Field> &fields)
{
    auto *tab = new QWidget(m_tabs);
    auto *layout = new QVBoxLayout(tab);
    auto *text = new QLabel(intro, tab);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *form = new QFormLayout;
    for (const Field &f : fields) {
        auto *row = new QHBoxLayout;
        QWidget *value = nullptr;
        const QString shown = QString(f.value).replace(kKey, tr("<your access key>"));
        if (f.value.contains(u'\n')) {
            auto *edit = new QPlainTextEdit(shown, tab);
            edit->setReadOnly(true);
            edit->setMaximumHeight(edit->fontMetrics().lineSpacing()
                                   * (int(f.value.count(u'\n')) + 2));
            value = edit;
        } else {
            auto *edit = new QLineEdit(shown, tab);
            edit->setReadOnly(true);
            value = edit;
        }
        auto *button = new QPushButton(tr("Copy"), tab);
        connect(button, &QPushButton::clicked, this, [this, v = f.value] { copy(v); });
        row->addWidget(value, 1);
        row->addWidget(button);
        form->addRow(f.label, row);
    }
    layout->addLayout(form);
    layout->addStretch();
    return tab;
}

void ConnectPage::rebuild()
{
    const QString port = m_port ? QString::number(m_port) : QStringLiteral("17635");
    const QString host = QStringLiteral("http://127.0.0.1:") + port;
    const QString v1 = host + QStringLiteral("/v1");
    m_intro->setText(tr("Fill these fields in your client. The relay answers on this computer "
                        "only (127.0.0.1); a Copy button next to the access key puts the real "
                        "key on the clipboard."));
    const int current = m_tabs->currentIndex();
    while (m_tabs->count() > 0)
        delete m_tabs->widget(0); // clear() alone would keep the pages
    m_tabs->addTab(clientTab(tr("Settings → Model provider: choose \"OpenAI API Compatible\" "
                                "(or OpenAI), then fill in:"),
                             { { tr("API Host"), host },
                               { tr("API Path"), QStringLiteral("/v1/chat/completions") },
                               { tr("API Key"), kKey },
                               { tr("Model"), tr("a model your upstream serves, e.g. gpt-4o") } }),
                   QStringLiteral("ChatBox"));
    m_tabs->addTab(clientTab(tr("Settings → Model Provider → Add, type \"OpenAI\", then fill "
                                "in and press \"Manage\" to pick models:"),
                             { { tr("API Address"), host }, { tr("API Key"), kKey } }),
                   QStringLiteral("Cherry Studio"));
    m_tabs->addTab(clientTab(tr("Settings → API providers → add \"OpenAI\" (custom host):"),
                             { { tr("API Host"), v1 }, { tr("API Key"), kKey } }),
                   QStringLiteral("OpenCat"));
    m_tabs->addTab(
        clientTab(tr("Set two environment variables before starting claude, or put them in "
                     "~/.claude/settings.json:"),
                  { { QStringLiteral("ANTHROPIC_BASE_URL"), host },
                    { QStringLiteral("ANTHROPIC_AUTH_TOKEN"), kKey },
                    { tr("Shell"),
                      QStringLiteral("export ANTHROPIC_BASE_URL=") + host
                          + QStringLiteral("\nexport ANTHROPIC_AUTH_TOKEN=") + kKey },
                    { QStringLiteral("settings.json"),
                      QStringLiteral("{\n  \"env\": {\n    \"ANTHROPIC_BASE_URL\": \"") + host
                          + QStringLiteral("\",\n    \"ANTHROPIC_AUTH_TOKEN\": \"") + kKey
                          + QStringLiteral("\"\n  }\n}") } }),
        QStringLiteral("Claude Code"));
    m_tabs->addTab(clientTab(tr("Add these lines to ~/.codex/config.toml and set the "
                                "environment variable RELAY_KEY to the access key:"),
                             { { QStringLiteral("config.toml"),
                                 QStringLiteral("model_provider = \"relay\"\n\n"
                                                "[model_providers.relay]\n"
                                                "name = \"LLM Relay\"\n"
                                                "base_url = \"")
                                     + v1
                                     + QStringLiteral("\"\nenv_key = \"RELAY_KEY\"\n"
                                                      "wire_api = \"responses\"") },
                               { tr("Shell"), QStringLiteral("export RELAY_KEY=") + kKey } }),
                   QStringLiteral("Codex"));
    m_tabs->addTab(clientTab(tr("Set two environment variables before starting gemini "
                                "(Gemini CLI and the Google Gen AI SDKs):"),
                             { { QStringLiteral("GOOGLE_GEMINI_BASE_URL"), host },
                               { QStringLiteral("GEMINI_API_KEY"), kKey },
                               { tr("Shell"),
                                 QStringLiteral("export GOOGLE_GEMINI_BASE_URL=") + host
                                     + QStringLiteral("\nexport GEMINI_API_KEY=") + kKey } }),
                   QStringLiteral("Gemini CLI"));
    m_tabs->addTab(clientTab(tr("Any OpenAI SDK or OpenAI-compatible tool:"),
                             { { QStringLiteral("base_url"), v1 },
                               { QStringLiteral("api_key"), kKey },
                               { QStringLiteral("Python"),
                                 QStringLiteral("from openai import OpenAI\nclient = "
                                                "OpenAI(base_url=\"")
                                     + v1 + QStringLiteral("\", api_key=\"") + kKey
                                     + QStringLiteral("\")") } }),
                   QStringLiteral("OpenAI SDK"));
    m_tabs->addTab(clientTab(tr("Any Anthropic SDK:"),
                             { { QStringLiteral("base_url"), host },
                               { QStringLiteral("api_key"), kKey },
                               { QStringLiteral("Python"),
                                 QStringLiteral("import anthropic\nclient = "
                                                "anthropic.Anthropic(base_url=\"")
                                     + host + QStringLiteral("\", api_key=\"") + kKey
                                     + QStringLiteral("\")") } }),
                   QStringLiteral("Anthropic SDK"));
    m_tabs->setCurrentIndex(std::max(0, current));
}

void ConnectPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        rebuild();
    QWidget::changeEvent(event);
}

} // namespace relay
