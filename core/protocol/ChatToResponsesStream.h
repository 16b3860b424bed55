#pragma once

#include "JsonEventStream.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace relay {

// Turns an OpenAI chat-completions stream (upstream) into a Responses API stream (client), event
// by event: reasoning -> a "reasoning" item with a summary, content -> a "message" item with an
// output_text part, each tool call -> a "function_call" item (split back into namespace and
// name for functions of a namespace tool). A signature from an Anthropic or Gemini upstream is
// sealed into a reasoning item's encrypted_content (ResponsesToChatRequest::sealSignature),
// which the client sends back.
// finish_reason "length" ends in response.incomplete, other reasons in response.completed with
// the usage; an upstream error or a stream that never finished ends in response.failed.
//
// Tool call items stay open until the end, so the arguments of parallel calls may interleave.
class ChatToResponsesStream final : public JsonEventStream
{
public:
    // `request` is the client's Responses request (echoed fields, namespace tools).
    ChatToResponsesStream(QString model, const QJsonObject &request, QString responseId = {},
                          qint64 createdAt = 0);

    QByteArray finish() override;
    QByteArray fail(const QString &message) override;
    QByteArray keepAlive() override;

    // The response as it stands (complete once the stream is done).
    QJsonObject response() const;

    // A whole chat completion as a whole Responses API response; empty and *error set when the
    // completion cannot be read.
    static QByteArray translateResponse(const QByteArray &completion, const QString &model,
                                        const QJsonObject &request, QString *error,
                                        const QString &responseId = {}, qint64 createdAt = 0);

private:
    enum class Kind { Reasoning, Message, Function };
    struct Item
    {
        Kind kind;
        QJsonObject json; // as output_item.done shows it, without status
        QString text; // reasoning summary or message text, function arguments
        bool done = false;
    };

    bool handleMarker(const QByteArray &data, QByteArray &out) override;
    void handle(const QJsonObject &chunk, QByteArray &out) override;
    QByteArray event(const QString &type, QJsonObject data);
    void ensureStarted(QByteArray &out);
    int open(Kind kind, QJsonObject json, QByteArray &out);
    void close(int index, QByteArray &out);
    void closeOpenText(QByteArray &out);
    void appendText(Kind kind, const QString &text, QByteArray &out);
    void sign(const char *kind, const QString &signature, QByteArray &out);
    void toolCall(const QJsonObject &call, QByteArray &out);
    QJsonObject itemJson(const Item &item) const;
    void complete(QByteArray &out);

    QString m_model;
    QString m_id;
    qint64 m_createdAt;
    QJsonObject m_echo; // request fields the response repeats
    QHash<QString, QPair<QString, QString>> m_namespaced;
    bool m_started = false;
    int m_sequence = 0;
    QList<Item> m_items;
    int m_textItem = -1; // the open reasoning or message item
    QHash<int, int> m_toolItems; // chat tool_calls[].index -> output index
    QString m_finish;
    QJsonObject m_usage;
    QString m_status = QStringLiteral("in_progress");
    QJsonObject m_error;
};

} // namespace relay
