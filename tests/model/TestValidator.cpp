#include "ModelTestSupport.h"
#include "model/DesignFile.h"
#include "model/Validator.h"

#include <QtTest>

using namespace eventflow::model;

using eventflow::test::describe;

namespace {

/// A design text from its top-level members (the format line is added).
QString doc(const char* members)
{
    return QStringLiteral("{\"format\": \"eventflow/1\", ") + QString::fromUtf8(members) +
           QStringLiteral("}");
}

int count(const Diagnostics& diagnostics, Severity severity)
{
    return static_cast<int>(
        std::count_if(diagnostics.begin(), diagnostics.end(),
                      [&](const Diagnostic& d) { return d.severity == severity; }));
}

} // namespace

class TestValidator : public QObject {
    Q_OBJECT

private:
    /// Loads `text` (which must have the right shape) and validates it.
    static Diagnostics validate(const QString& text, bool* loaded)
    {
        auto result = DesignFile::parse(text.toStdString());
        *loaded = result.design.has_value();
        if (!*loaded) {
            qWarning().noquote() << "load failed:" << describe(result.diagnostics);
            return {};
        }
        return Validator::validate(*result.design);
    }

    static void addColumns()
    {
        QTest::addColumn<QString>("design");
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("message");
    }

    /// The one diagnostic of `severity` the row expects: at `pointer`, its message holding
    /// `message`. Any other diagnostic of that severity fails the row (no cascades, no noise).
    static void expectOnly(Severity severity)
    {
        QFETCH(QString, design);
        QFETCH(QString, pointer);
        QFETCH(QString, message);
        bool loaded = false;
        const Diagnostics diagnostics = validate(design, &loaded);
        QVERIFY(loaded);
        const QString all = describe(diagnostics);
        QVERIFY2(count(diagnostics, severity) == 1,
                 qPrintable(QStringLiteral("expected exactly one %1:%2")
                                .arg(QString::fromLatin1(severityName(severity)), all)));
        const auto it = std::find_if(diagnostics.begin(), diagnostics.end(),
                                     [&](const Diagnostic& d) { return d.severity == severity; });
        QCOMPARE(QString::fromStdString(it->pointer), pointer);
        QVERIFY2(QString::fromStdString(it->message).contains(message), qPrintable(all));
        if (severity == Severity::Warning) {
            QVERIFY2(!it->fix.empty(), "design advice must say how to fix it");
            QVERIFY2(!hasErrors(diagnostics),
                     qPrintable("advice rows must be legal designs:" + all));
        }
    }

private slots:
    void reportsErrors_data();
    void reportsErrors() { expectOnly(Severity::Error); }
    void givesAdvice_data();
    void givesAdvice() { expectOnly(Severity::Warning); }
    void cleanDesignHasNoDiagnostics_data();
    void cleanDesignHasNoDiagnostics();
    void suggestsTheNearestSimulationParameter();
    void keepsUnknownAwsPropertiesQuietly();
    void reportsEveryProblemOfOneDesign();
};

void TestValidator::reportsErrors_data()
{
    addColumns();
    auto row = [](const char* name, const char* members, const char* pointer, const char* message) {
        QTest::newRow(name) << doc(members) << QString::fromUtf8(pointer)
                            << QString::fromUtf8(message);
    };

    // Ids.
    row("empty id", R"("components": [{"id": "", "type": "queue"}])", "/components/0/id",
        "id is empty");
    row("duplicate id",
        R"("components": [{"id": "a", "type": "queue"}, {"id": "a", "type": "topic"}])",
        "/components/1/id", "duplicate component id \"a\", already used by /components/0");

    // Parameters against the catalogue.
    row("integer as string",
        R"("components": [{"id": "q", "type": "queue", "props": {"VisibilityTimeout": "60"}}])",
        "/components/0/props/VisibilityTimeout",
        "VisibilityTimeout must be a whole number from 0 to 43200 s; found string \"60\"");
    row("integer above maximum",
        R"("components": [{"id": "f", "type": "function", "props": {"Timeout": 901}}])",
        "/components/0/props/Timeout", "from 1 to 900 s; found 901");
    row("integer with a fraction",
        R"("components": [{"id": "f", "type": "function", "props": {"Timeout": 1.5}}])",
        "/components/0/props/Timeout", "must be a whole number");
    row("number out of range",
        R"("components": [{"id": "s", "type": "service", "sim": {"error_rate": 1.5}}])",
        "/components/0/sim/error_rate", "error_rate must be a number from 0 to 1; found 1.5");
    row("open-ended range",
        R"("components": [{"id": "q", "type": "queue", "sim": {"api_limit_per_s": 0}}])",
        "/components/0/sim/api_limit_per_s", "at least 1 per second");
    row("boolean as string",
        R"("components": [{"id": "q", "type": "queue", "props": {"FifoQueue": "true"}}])",
        "/components/0/props/FifoQueue", "FifoQueue must be true or false");
    row("enum choice",
        R"("components": [{"id": "a", "type": "api", "props": {"ApiType": "GRAPHQL"}}])",
        "/components/0/props/ApiType",
        "ApiType must be one of REST, HTTP; found string \"GRAPHQL\"");
    row("string type", R"("components": [{"id": "q", "type": "queue", "sim": {"group_key": 5}}])",
        "/components/0/sim/group_key", "group_key must be a string");
    row("malformed distribution",
        R"("components": [{"id": "f", "type": "function", "sim": {"duration": {"dist": "gamma"}}}])",
        "/components/0/sim/duration", "unknown distribution \"gamma\"");
    row("distribution mean out of range",
        R"("components": [{"id": "f", "type": "function",
                           "sim": {"duration": {"dist": "constant", "value": 1000000}}}])",
        "/components/0/sim/duration", "mean of 1000000 ms");
    row("nested parameter",
        R"("components": [{"id": "q", "type": "queue", "props": {"RedrivePolicy": {"maxReceiveCount": 0}}}])",
        "/components/0/props/RedrivePolicy/maxReceiveCount", "from 1 to 1000; found 0");
    row("container of a nested parameter",
        R"("components": [{"id": "q", "type": "queue", "props": {"RedrivePolicy": 5}}])",
        "/components/0/props/RedrivePolicy",
        "RedrivePolicy must be an object (it holds maxReceiveCount)");
    row("unknown sim key",
        R"("components": [{"id": "f", "type": "function", "sim": {"duraton": 5}}])",
        "/components/0/sim/duraton", "unknown simulation parameter \"duraton\" for a function");
    row("unknown sim key on a connection",
        R"("components": [{"id": "s", "type": "service"}, {"id": "db", "type": "database"}],
           "connections": [{"from": "s", "to": "db", "kind": "invoke", "sim": {"retries": 3}}])",
        "/connections/0/sim/retries",
        "unknown simulation parameter \"retries\" for an invoke connection");
    row("sim key on a kind without parameters",
        R"("components": [{"id": "s", "type": "service"}, {"id": "q", "type": "queue"}],
           "connections": [{"from": "s", "to": "q", "kind": "send", "sim": {"delay": 3}}])",
        "/connections/0/sim/delay", "which takes no simulation parameters");
    row("connection parameter out of range",
        R"("components": [{"id": "s", "type": "service"}, {"id": "db", "type": "database"}],
           "connections": [{"from": "s", "to": "db", "kind": "invoke", "sim": {"max_retries": 50}}])",
        "/connections/0/sim/max_retries", "from 0 to 20");

    // References and connection kinds.
    row("dangling from",
        R"("components": [{"id": "q", "type": "queue"}],
           "connections": [{"from": "ghost", "to": "q", "kind": "send"}])",
        "/connections/0/from", "no component has the id \"ghost\"");
    row("dangling to",
        R"("components": [{"id": "s", "type": "service"}],
           "connections": [{"from": "s", "to": "ghost", "kind": "send"}])",
        "/connections/0/to", "no component has the id \"ghost\"");
    row("kind not allowed",
        R"("components": [{"id": "t", "type": "topic"}, {"id": "f", "type": "function"}],
           "connections": [{"from": "t", "to": "f", "kind": "rule_target"}])",
        "/connections/0/kind",
        "a topic cannot rule_target to a function; allowed here: subscription");
    row("no connection possible",
        R"("components": [{"id": "b", "type": "event_bus"}, {"id": "f", "type": "function"}],
           "connections": [{"from": "b", "to": "f", "kind": "subscription"}])",
        "/connections/0/kind", "an event bus delivers only to its rules");

    row("retriers not in a list",
        R"("components": [{"id": "sm", "type": "state_machine"}, {"id": "s", "type": "service"}],
           "connections": [{"from": "sm", "to": "s", "kind": "invoke",
                            "props": {"Retry": {"ErrorEquals": ["States.ALL"]}}}])",
        "/connections/0/props/Retry", "Retry must be an array of retriers");
    row("States.ALL before another retrier",
        R"("components": [{"id": "sm", "type": "state_machine"}, {"id": "s", "type": "service"}],
           "connections": [{"from": "sm", "to": "s", "kind": "invoke",
                            "props": {"Retry": [{"ErrorEquals": ["States.ALL"]},
                                                {"ErrorEquals": ["States.Timeout"]}]}}])",
        "/connections/0/props/Retry/0/ErrorEquals/0", "States.ALL must stand alone");
    row("catcher without error names",
        R"("components": [{"id": "sm", "type": "state_machine"}, {"id": "s", "type": "service"}],
           "connections": [{"from": "sm", "to": "s", "kind": "invoke",
                            "props": {"Catch": [{"ErrorEquals": []}]}}])",
        "/connections/0/props/Catch/0/ErrorEquals", "non-empty array of error names");
    row("retrier with a backoff rate below 1",
        R"("components": [{"id": "sm", "type": "state_machine"}, {"id": "s", "type": "service"}],
           "connections": [{"from": "sm", "to": "s", "kind": "invoke",
                            "props": {"Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 0.5,
                                                 "MaxAttempts": 2}]}}])",
        "/connections/0/props/Retry/0/BackoffRate", "at least 1");
    row("retrier with a fractional interval",
        R"("components": [{"id": "sm", "type": "state_machine"}, {"id": "s", "type": "service"}],
           "connections": [{"from": "sm", "to": "s", "kind": "invoke",
                            "props": {"Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 0.5}]}}])",
        "/connections/0/props/Retry/0/IntervalSeconds", "whole number of at least 1");
    row("catcher leading to no state",
        R"("components": [{"id": "sm", "type": "state_machine"}, {"id": "s", "type": "service"}],
           "connections": [{"from": "sm", "to": "s", "kind": "invoke",
                            "props": {"Catch": [{"ErrorEquals": ["States.ALL"],
                                                 "Next": "Cleanup"}]}}])",
        "/connections/0/props/Catch/0/Next",
        "Next \"Cleanup\" names no Task of state machine \"sm\"");
    row("catcher Next not a name",
        R"("components": [{"id": "sm", "type": "state_machine"}, {"id": "s", "type": "service"}],
           "connections": [{"from": "sm", "to": "s", "kind": "invoke",
                            "props": {"Catch": [{"ErrorEquals": ["States.ALL"], "Next": 2}]}}])",
        "/connections/0/props/Catch/0/Next", "must be the name of a state");
    row("catch path from a Parallel state",
        R"("components": [{"id": "sm", "type": "state_machine"}, {"id": "a", "type": "service"},
             {"id": "b", "type": "service"}, {"id": "undo", "type": "service"}],
           "connections": [{"from": "sm", "to": "a", "kind": "invoke", "sim": {"step": 1},
                            "props": {"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "undo"}]}},
             {"from": "sm", "to": "b", "kind": "invoke", "sim": {"step": 1}},
             {"from": "sm", "to": "undo", "kind": "invoke", "sim": {"catch_only": true}}])",
        "/connections/0/props/Catch/0/Next",
        "a catcher of a Task in a Parallel state (step 1, shared with other Tasks) cannot leave "
        "it");
    row("skip from a Parallel state",
        R"("components": [{"id": "sm", "type": "state_machine"}, {"id": "a", "type": "service"},
             {"id": "b", "type": "service"}, {"id": "c", "type": "service"}],
           "connections": [{"from": "sm", "to": "a", "kind": "invoke", "sim": {"step": 1},
                            "props": {"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "c"}]}},
             {"from": "sm", "to": "b", "kind": "invoke", "sim": {"step": 1}},
             {"from": "sm", "to": "c", "kind": "invoke", "sim": {"step": 2}}])",
        "/connections/0/props/Catch/0/Next", "cannot leave it");
    row("catch-only Task sharing a step",
        R"("components": [{"id": "sm", "type": "state_machine"}, {"id": "a", "type": "service"},
             {"id": "undo", "type": "service"}],
           "connections": [{"from": "sm", "to": "a", "kind": "invoke", "sim": {"step": 1},
                            "props": {"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "undo"}]}},
             {"from": "sm", "to": "undo", "kind": "invoke",
              "sim": {"catch_only": true, "step": 1}}])",
        "/connections/1/sim/step",
        "the catch-only Task calling \"undo\" shares step 1 with other Tasks");

    // EventBridge.
    row("six rule targets",
        R"("components": [{"id": "r", "type": "rule", "props": {"EventPattern": {"source": ["shop"]}}},
             {"id": "q1", "type": "queue"}, {"id": "q2", "type": "queue"}, {"id": "q3", "type": "queue"},
             {"id": "q4", "type": "queue"}, {"id": "q5", "type": "queue"}, {"id": "q6", "type": "queue"}],
           "connections": [{"from": "r", "to": "q1", "kind": "rule_target"},
             {"from": "r", "to": "q2", "kind": "rule_target"}, {"from": "r", "to": "q3", "kind": "rule_target"},
             {"from": "r", "to": "q4", "kind": "rule_target"}, {"from": "r", "to": "q5", "kind": "rule_target"},
             {"from": "r", "to": "q6", "kind": "rule_target"}])",
        "/connections/5", "rule \"r\" has 6 targets; EventBridge allows at most 5");
    row("invalid event pattern",
        R"("components": [{"id": "r", "type": "rule", "props": {"EventPattern": {"source": "shop"}}}])",
        "/components/0/props/EventPattern/source", "must be an array");
    row("event pattern not an object",
        R"("components": [{"id": "r", "type": "rule", "props": {"EventPattern": "source = shop"}}])",
        "/components/0/props/EventPattern", "must be a JSON object");
    row("rule dead-letter queue is FIFO",
        R"("components": [{"id": "r", "type": "rule", "props": {"EventPattern": {"source": ["shop"]}}}, {"id": "q", "type": "queue"},
             {"id": "dlq", "type": "queue", "props": {"FifoQueue": true}}],
           "connections": [{"from": "r", "to": "q", "kind": "rule_target"},
             {"from": "r", "to": "dlq", "kind": "dead_letter"}])",
        "/connections/1/to",
        "an EventBridge target's dead-letter queue must be a standard SQS queue");
    row("dead-letter for names no target",
        R"("components": [{"id": "r", "type": "rule", "props": {"EventPattern": {"source": ["shop"]}}}, {"id": "q", "type": "queue"},
             {"id": "dlq", "type": "queue"}],
           "connections": [{"from": "r", "to": "q", "kind": "rule_target"},
             {"from": "r", "to": "dlq", "kind": "dead_letter", "sim": {"for": "nope"}}])",
        "/connections/1/sim/for",
        "rule \"r\" has no target \"nope\"; \"for\" names one of its targets: \"q\"");
    row("two dead-letter queues for all targets",
        R"("components": [{"id": "r", "type": "rule", "props": {"EventPattern": {"source": ["shop"]}}},
             {"id": "q", "type": "queue"}, {"id": "d1", "type": "queue"}, {"id": "d2", "type": "queue"}],
           "connections": [{"from": "r", "to": "q", "kind": "rule_target"},
             {"from": "r", "to": "d1", "kind": "dead_letter"},
             {"from": "r", "to": "d2", "kind": "dead_letter"}])",
        "/connections/2",
        "rule \"r\" already has a dead-letter queue for all its targets (/connections/1)");
    row("two dead-letter queues for one subscriber",
        R"("components": [{"id": "t", "type": "topic"}, {"id": "q", "type": "queue"},
             {"id": "d1", "type": "queue"}, {"id": "d2", "type": "queue"}],
           "connections": [{"from": "t", "to": "q", "kind": "subscription"},
             {"from": "t", "to": "d1", "kind": "dead_letter", "sim": {"for": "q"}},
             {"from": "t", "to": "d2", "kind": "dead_letter", "sim": {"for": "q"}}])",
        "/connections/2", "already has a dead-letter queue for \"q\" (/connections/1)");
    row("rule without a pattern", R"("components": [{"id": "r", "type": "rule"}])",
        "/components/0/props/EventPattern", "rule \"r\" has no EventPattern");
    row("function fail pattern not a pattern",
        R"("components": [{"id": "f", "type": "function",
                           "sim": {"fail_pattern": {"detail": {"malformed": true}}}}])",
        "/components/0/sim/fail_pattern/detail/malformed", "must be an array");
    row("service fail pattern not an object",
        R"("components": [{"id": "s", "type": "service", "sim": {"fail_pattern": ["poison"]}}])",
        "/components/0/sim/fail_pattern", "must be a JSON object");
    row("unknown function response type",
        R"("components": [{"id": "q", "type": "queue"}, {"id": "f", "type": "function"}],
           "connections": [{"from": "q", "to": "f", "kind": "event_source",
                            "props": {"FunctionResponseTypes": ["ReportBatchFailures"]}}])",
        "/connections/0/props/FunctionResponseTypes/0",
        "the only function response type is \"ReportBatchItemFailures\"");

    // SQS and SNS types.
    row("FIFO queue with a standard dead-letter queue",
        R"("components": [{"id": "q", "type": "queue", "props": {"FifoQueue": true}},
             {"id": "dlq", "type": "queue"}],
           "connections": [{"from": "q", "to": "dlq", "kind": "dead_letter"}])",
        "/connections/0/to", "SQS requires a dead-letter queue of the same type");
    row("standard queue with a FIFO dead-letter queue",
        R"("components": [{"id": "q", "type": "queue"},
             {"id": "dlq", "type": "queue", "props": {"FifoQueue": true}}],
           "connections": [{"from": "q", "to": "dlq", "kind": "dead_letter"}])",
        "/connections/0/to", "dead-letter queue \"dlq\" is FIFO but queue \"q\" is standard");
    row("queue is its own dead-letter queue",
        R"("components": [{"id": "q", "type": "queue"}],
           "connections": [{"from": "q", "to": "q", "kind": "dead_letter"}])",
        "/connections/0/to", "queue \"q\" is its own dead-letter queue");
    row("second dead-letter queue of a queue",
        R"("components": [{"id": "q", "type": "queue"}, {"id": "d1", "type": "queue"},
             {"id": "d2", "type": "queue"}],
           "connections": [{"from": "q", "to": "d1", "kind": "dead_letter"},
             {"from": "q", "to": "d2", "kind": "dead_letter"}])",
        "/connections/1", "a RedrivePolicy names one dead-letter queue");
    row("for on a queue's dead-letter queue",
        R"("components": [{"id": "q", "type": "queue"}, {"id": "d", "type": "queue"}],
           "connections": [{"from": "q", "to": "d", "kind": "dead_letter", "sim": {"for": "x"}}])",
        "/connections/0/sim/for", "\"for\" applies only to dead-letter queues of rules and topics");
    row("FIFO topic with a standard dead-letter queue",
        R"("components": [{"id": "t", "type": "topic", "props": {"FifoTopic": true}},
             {"id": "q", "type": "queue", "props": {"FifoQueue": true}}, {"id": "dlq", "type": "queue"}],
           "connections": [{"from": "t", "to": "q", "kind": "subscription"},
             {"from": "t", "to": "dlq", "kind": "dead_letter"}])",
        "/connections/1/to", "SNS requires a dead-letter queue of the same type as the topic");
    row("FIFO topic subscribed by a function",
        R"("components": [{"id": "t", "type": "topic", "props": {"FifoTopic": true}},
             {"id": "f", "type": "function"}],
           "connections": [{"from": "t", "to": "f", "kind": "subscription"}])",
        "/connections/0/to",
        "FIFO topic \"t\" delivers only to SQS FIFO queues, and function \"f\" is not a queue");
    row("FIFO topic subscribed by a standard queue",
        R"("components": [{"id": "t", "type": "topic", "props": {"FifoTopic": true}},
             {"id": "q", "type": "queue"}],
           "connections": [{"from": "t", "to": "q", "kind": "subscription"}])",
        "/connections/0/to", "queue \"q\" is a standard queue");
    row("invalid filter policy",
        R"("components": [{"id": "t", "type": "topic"}, {"id": "q", "type": "queue"}],
           "connections": [{"from": "t", "to": "q", "kind": "subscription",
                            "props": {"FilterPolicy": {"order": {"total": [5]}}}}])",
        "/connections/0/props/FilterPolicy/order", "does not support nested filter policies");
    row("invalid call pattern",
        R"("components": [{"id": "a", "type": "service"}, {"id": "b", "type": "service"}],
           "connections": [{"from": "a", "to": "b", "kind": "invoke",
                            "sim": {"call_pattern": {"detail-type": "Checkout"}}}])",
        "/connections/0/sim/call_pattern/detail-type", "must be an array");
    row("invalid fail pattern on a function",
        R"("components": [{"id": "f", "type": "function",
                           "sim": {"fail_pattern": {"detail": {"kind": [{"prefix": 5}]}}}}])",
        "/components/0/sim/fail_pattern/detail/kind/0/prefix", "prefix");
    row("send to a bus with Source only",
        R"("components": [{"id": "s", "type": "service"}, {"id": "b", "type": "event_bus"}],
           "connections": [{"from": "s", "to": "b", "kind": "send",
                            "props": {"Source": "shop.payments"}}])",
        "/connections/0/props/DetailType",
        "PutEvents needs both Source and DetailType: this send to event bus \"b\" sets only "
        "Source");
    row("send to a bus with DetailType only",
        R"("components": [{"id": "s", "type": "service"}, {"id": "b", "type": "event_bus"}],
           "connections": [{"from": "s", "to": "b", "kind": "send",
                            "props": {"DetailType": "PaymentTaken"}}])",
        "/connections/0/props/Source", "PutEvents needs both Source and DetailType");

    // Lambda.
    row("function dead-letter queue is FIFO",
        R"("components": [{"id": "f", "type": "function"},
             {"id": "dlq", "type": "queue", "props": {"FifoQueue": true}}],
           "connections": [{"from": "f", "to": "dlq", "kind": "dead_letter"}])",
        "/connections/0/to", "a function's dead-letter queue must be a standard queue or topic");
    row("on-failure destination is a FIFO queue",
        R"("components": [{"id": "f", "type": "function"},
             {"id": "q", "type": "queue", "props": {"FifoQueue": true}}],
           "connections": [{"from": "f", "to": "q", "kind": "on_failure"}])",
        "/connections/0/to", "Lambda destinations must be a standard queue");
    row("on-failure destination is a FIFO topic",
        R"("components": [{"id": "f", "type": "function"},
             {"id": "t", "type": "topic", "props": {"FifoTopic": true}}],
           "connections": [{"from": "f", "to": "t", "kind": "on_failure"}])",
        "/connections/0/to", "topic \"t\" is FIFO; Lambda destinations");
    row("two on-failure destinations",
        R"("components": [{"id": "f", "type": "function"}, {"id": "q1", "type": "queue"},
             {"id": "q2", "type": "queue"}],
           "connections": [{"from": "f", "to": "q1", "kind": "on_failure"},
             {"from": "f", "to": "q2", "kind": "on_failure"}])",
        "/connections/1", "already has an on-failure destination (/connections/0)");
    row("FIFO batch above 10",
        R"("components": [{"id": "q", "type": "queue", "props": {"FifoQueue": true}},
             {"id": "f", "type": "function"}],
           "connections": [{"from": "q", "to": "f", "kind": "event_source",
                            "props": {"BatchSize": 20, "MaximumBatchingWindowInSeconds": 5}}])",
        "/connections/0/props/BatchSize",
        "Lambda takes at most 10 messages per batch from a FIFO queue");
    row("batch above 10 without a window",
        R"("components": [{"id": "q", "type": "queue"}, {"id": "f", "type": "function"}],
           "connections": [{"from": "q", "to": "f", "kind": "event_source", "props": {"BatchSize": 100}}])",
        "/connections/0/props/BatchSize", "needs MaximumBatchingWindowInSeconds of at least 1 s");
    row("service receives more than 10",
        R"("components": [{"id": "q", "type": "queue"}, {"id": "s", "type": "service"}],
           "connections": [{"from": "q", "to": "s", "kind": "event_source", "props": {"BatchSize": 20}}])",
        "/connections/0/props/BatchSize", "ReceiveMessage returns at most 10");
    row("function timeout above visibility timeout",
        R"("components": [{"id": "q", "type": "queue", "props": {"VisibilityTimeout": 30}},
             {"id": "f", "type": "function", "props": {"Timeout": 60}}],
           "connections": [{"from": "q", "to": "f", "kind": "event_source"}])",
        "/components/0/props/VisibilityTimeout",
        "VisibilityTimeout 30 s is shorter than the 60 s Timeout of function \"f\"");
    row("record age below 60 s",
        R"("components": [{"id": "s", "type": "stream"}, {"id": "f", "type": "function"}],
           "connections": [{"from": "s", "to": "f", "kind": "event_source",
                            "props": {"MaximumRecordAgeInSeconds": 30}}])",
        "/connections/0/props/MaximumRecordAgeInSeconds", "must be -1");
    row("reserved concurrency leaves under 100",
        R"("components": [
             {"id": "f1", "type": "function", "props": {"ReservedConcurrentExecutions": 500}},
             {"id": "f2", "type": "function", "props": {"ReservedConcurrentExecutions": 450}}])",
        "/components/1/props/ReservedConcurrentExecutions",
        "functions reserve 950 concurrent executions in all, but Lambda keeps at least 100 of the "
        "account's 1000 unreserved: at most 900");

    // Traffic.
    row("traffic from a missing producer",
        R"("components": [], "traffic": [{"producer": "ghost"}])", "/traffic/0/producer",
        "no component has the id \"ghost\"");
    row("traffic from a queue",
        R"("components": [{"id": "q", "type": "queue"}], "traffic": [{"producer": "q"}])",
        "/traffic/0/producer", "queue \"q\" is not a producer");
    row("negative rate",
        R"("components": [{"id": "p", "type": "producer"}],
           "traffic": [{"producer": "p", "profile": {"kind": "poisson", "rate": -5}}])",
        "/traffic/0/profile/rate", "rate is -5");
    row("ramp ends before it starts",
        R"("components": [{"id": "p", "type": "producer"}],
           "traffic": [{"producer": "p", "profile": {"kind": "ramp", "rate": 1, "to_rate": 5,
                                                      "start_s": 30, "end_s": 10}}])",
        "/traffic/0/profile/end_s", "end_s (10 s) must be after start_s (30 s)");
    row("ramp to a negative rate",
        R"("components": [{"id": "p", "type": "producer"}],
           "traffic": [{"producer": "p", "profile": {"kind": "ramp", "rate": 1, "to_rate": -1}}])",
        "/traffic/0/profile/to_rate", "to_rate is -1");
    row("spike with a negative peak",
        R"("components": [{"id": "p", "type": "producer"}],
           "traffic": [{"producer": "p", "profile": {"kind": "spike", "peak_rate": -3}}])",
        "/traffic/0/profile/peak_rate", "peak_rate is -3");
    row("bursty without bursts",
        R"("components": [{"id": "p", "type": "producer"}],
           "traffic": [{"producer": "p", "profile": {"kind": "bursty", "rate": 5, "on_s": 0}}])",
        "/traffic/0/profile/on_s", "bursts longer than 0 s");
    row("diurnal amplitude above 1",
        R"("components": [{"id": "p", "type": "producer"}],
           "traffic": [{"producer": "p", "profile": {"kind": "diurnal", "amplitude": 1.5}}])",
        "/traffic/0/profile/amplitude", "from 0 to 1");
    row("zero event weight",
        R"("components": [{"id": "p", "type": "producer"}],
           "traffic": [{"producer": "p", "events": [{"weight": 0}]}])",
        "/traffic/0/events/0/weight", "greater than 0");
    row("empty event",
        R"("components": [{"id": "p", "type": "producer"}],
           "traffic": [{"producer": "p", "events": [{"size_bytes": 0}]}])",
        "/traffic/0/events/0/size_bytes", "at least 1 byte");
    row("malformed random detail",
        R"("components": [{"id": "p", "type": "producer"}],
           "traffic": [{"producer": "p", "events": [{"detail": {"order": {"amount":
               {"dist": "uniform", "min": 5, "max": 1}}}}]}])",
        "/traffic/0/events/0/detail/order/amount", "\"min\" <= \"max\"");
    row("empty oneOf attribute",
        R"("components": [{"id": "p", "type": "producer"}],
           "traffic": [{"producer": "p", "events": [{"attributes": {"region": {"oneOf": []}}}]}])",
        "/traffic/0/events/0/attributes/region/oneOf", "non-empty array");

    // Faults.
    row("fault on a missing component",
        R"("components": [], "faults": [{"component": "db", "kind": "outage", "start_s": 1, "end_s": 2}])",
        "/faults/0/component", "no component has the id \"db\"");
    row("fault ends before it starts",
        R"("components": [{"id": "db", "type": "database"}],
           "faults": [{"component": "db", "kind": "outage", "start_s": 20, "end_s": 10}])",
        "/faults/0/end_s", "end_s (10 s) is before start_s (20 s)");
    row("fault starts before 0",
        R"("components": [{"id": "db", "type": "database"}],
           "faults": [{"component": "db", "kind": "outage", "start_s": -1, "end_s": 10}])",
        "/faults/0/start_s", "cannot start before 0 s");
    row("latency multiplier below 1",
        R"("components": [{"id": "db", "type": "database"}],
           "faults": [{"component": "db", "kind": "latency", "start_s": 0, "end_s": 10, "value": 0.5}])",
        "/faults/0/value", "multiplier of at least 1");
    row("error rate above 1",
        R"("components": [{"id": "db", "type": "database"}],
           "faults": [{"component": "db", "kind": "error_rate", "start_s": 0, "end_s": 10, "value": 1.5}])",
        "/faults/0/value", "from 0 to 1; found 1.5");
    row("negative throttle",
        R"("components": [{"id": "db", "type": "database"}],
           "faults": [{"component": "db", "kind": "throttle", "start_s": 0, "end_s": 10, "value": -1}])",
        "/faults/0/value", "at least 0; found -1");

    // Simulation settings.
    row("zero duration", R"("components": [], "simulation": {"duration_s": 0})",
        "/simulation/duration_s", "duration_s is 0");
    row("warm-up as long as the run",
        R"("components": [], "simulation": {"duration_s": 60, "warmup_s": 60})",
        "/simulation/warmup_s", "shorter than the run (60 s)");
    row("negative warm-up", R"("components": [], "simulation": {"warmup_s": -1})",
        "/simulation/warmup_s", "warmup_s is -1");
    row("zero sample interval", R"("components": [], "simulation": {"sample_interval_s": 0})",
        "/simulation/sample_interval_s", "sample_interval_s is 0");
    row("zero account concurrency", R"("components": [], "simulation": {"account_concurrency": 0})",
        "/simulation/account_concurrency", "greater than 0");
    row("zero event guard", R"("components": [], "simulation": {"max_events_total": 0})",
        "/simulation/max_events_total", "greater than 0");
}

void TestValidator::givesAdvice_data()
{
    addColumns();
    auto row = [](const char* name, const char* members, const char* pointer, const char* message) {
        QTest::newRow(name) << doc(members) << QString::fromUtf8(pointer)
                            << QString::fromUtf8(message);
    };

    // (a) visibility timeout against 6 x the function timeout (+ batching window).
    row("visibility under 6x timeout",
        R"("components": [{"id": "q", "type": "queue", "props": {"VisibilityTimeout": 30}},
             {"id": "f", "type": "function", "props": {"Timeout": 10}}, {"id": "dlq", "type": "queue"}],
           "connections": [{"from": "q", "to": "f", "kind": "event_source"},
             {"from": "q", "to": "dlq", "kind": "dead_letter"}])",
        "/components/0/props/VisibilityTimeout",
        "VisibilityTimeout 30 s is under 6 x the 10 s Timeout of function \"f\" plus its 0 s "
        "batching window (60 s)");
    row("visibility under 6x timeout plus window",
        R"("components": [{"id": "q", "type": "queue", "props": {"VisibilityTimeout": 60}},
             {"id": "f", "type": "function", "props": {"Timeout": 10}}, {"id": "dlq", "type": "queue"}],
           "connections": [{"from": "q", "to": "f", "kind": "event_source",
                            "props": {"MaximumBatchingWindowInSeconds": 5}},
             {"from": "q", "to": "dlq", "kind": "dead_letter"}])",
        "/components/0/props/VisibilityTimeout", "plus its 5 s batching window (65 s)");

    // (b) failures with nowhere to go.
    row("consumed queue without dead-letter queue",
        R"("components": [{"id": "q", "type": "queue"}, {"id": "f", "type": "function"}],
           "connections": [{"from": "q", "to": "f", "kind": "event_source"}])",
        "/components/0", "queue \"q\" has no dead-letter queue");
    row("rule target without destination",
        R"("components": [{"id": "r", "type": "rule", "props": {"EventPattern": {"source": ["shop"]}}}, {"id": "f", "type": "function"}],
           "connections": [{"from": "r", "to": "f", "kind": "rule_target"}])",
        "/components/1",
        "function \"f\" is invoked asynchronously (by rule \"r\") but has no "
        "on-failure destination or dead-letter queue");
    row("subscriber without destination",
        R"("components": [{"id": "t", "type": "topic"}, {"id": "f", "type": "function"}],
           "connections": [{"from": "t", "to": "f", "kind": "subscription"}])",
        "/components/1", "after 2 retries");
    row("async send without destination",
        R"("components": [{"id": "s", "type": "service"},
             {"id": "f", "type": "function", "props": {"EventInvokeConfig": {"MaximumRetryAttempts": 1}}}],
           "connections": [{"from": "s", "to": "f", "kind": "send"}])",
        "/components/1", "after 1 retry,");

    // (c) throttles burn receives.
    row("low receive count with reserved consumer",
        R"("components": [{"id": "q", "type": "queue", "props": {"RedrivePolicy": {"maxReceiveCount": 2}}},
             {"id": "f", "type": "function", "props": {"ReservedConcurrentExecutions": 10}},
             {"id": "dlq", "type": "queue"}],
           "connections": [{"from": "q", "to": "f", "kind": "event_source"},
             {"from": "q", "to": "dlq", "kind": "dead_letter"}])",
        "/components/0/props/RedrivePolicy/maxReceiveCount",
        "maxReceiveCount 2 is low for a queue whose consumer can be throttled (function \"f\" has "
        "reserved concurrency)");
    row("low receive count with capped event source",
        R"("components": [{"id": "q", "type": "queue", "props": {"RedrivePolicy": {"maxReceiveCount": 3}}},
             {"id": "f", "type": "function"}, {"id": "dlq", "type": "queue"}],
           "connections": [{"from": "q", "to": "f", "kind": "event_source",
                            "props": {"ScalingConfig": {"MaximumConcurrency": 5}}},
             {"from": "q", "to": "dlq", "kind": "dead_letter"}])",
        "/components/0/props/RedrivePolicy/maxReceiveCount", "is behind a MaximumConcurrency");

    // (d) event source concurrency above the function's reservation.
    row("maximum concurrency above reservation",
        R"("components": [{"id": "q", "type": "queue"},
             {"id": "f", "type": "function", "props": {"ReservedConcurrentExecutions": 20}},
             {"id": "dlq", "type": "queue"}],
           "connections": [{"from": "q", "to": "dlq", "kind": "dead_letter"},
             {"from": "q", "to": "f", "kind": "event_source",
              "props": {"ScalingConfig": {"MaximumConcurrency": 50}}}])",
        "/connections/1/props/ScalingConfig/MaximumConcurrency",
        "MaximumConcurrency 50 is above the 20 reserved concurrent executions of function \"f\"");

    // (e) synchronous chains longer than the API integration timeout.
    row("chain behind a REST API",
        R"("components": [{"id": "api", "type": "api"},
             {"id": "orders", "type": "function", "props": {"Timeout": 60},
              "sim": {"duration": 1000, "cold_start": 200}},
             {"id": "forecasting", "type": "function", "props": {"Timeout": 60},
              "sim": {"duration": 30000, "cold_start": 0}}],
           "connections": [{"from": "api", "to": "orders", "kind": "invoke"},
             {"from": "orders", "to": "forecasting", "kind": "invoke", "sim": {"timeout_ms": 40000}}])",
        "/connections/0", "api \u2192 orders \u2192 forecasting: up to 31.2 s");
    row("retries and backoff behind an API",
        R"("components": [{"id": "api", "type": "api"},
             {"id": "svc", "type": "service", "sim": {"duration": 100}},
             {"id": "db", "type": "database", "sim": {"latency": 15000}}],
           "connections": [{"from": "api", "to": "svc", "kind": "invoke"},
             {"from": "svc", "to": "db", "kind": "invoke",
              "sim": {"timeout_ms": 10000, "max_retries": 2, "backoff_ms": 500}}])",
        "/connections/0", "29 s integration timeout: api \u2192 svc \u2192 db: up to 31.6 s");
    row("parallel calls take the slowest",
        R"("components": [{"id": "api", "type": "api", "props": {"TimeoutInMillis": 10000}},
             {"id": "svc", "type": "service", "sim": {"duration": 0, "call_mode": "parallel"}},
             {"id": "a", "type": "database", "sim": {"latency": 4000}},
             {"id": "b", "type": "database", "sim": {"latency": 11000}}],
           "connections": [{"from": "api", "to": "svc", "kind": "invoke"},
             {"from": "svc", "to": "a", "kind": "invoke"}, {"from": "svc", "to": "b", "kind": "invoke"}])",
        "/connections/0", "10 s integration timeout: api \u2192 svc \u2192 b: up to 11.0 s");

    row("state machine steps and retriers behind an API",
        R"("components": [{"id": "api", "type": "api"},
             {"id": "sm", "type": "state_machine", "sim": {"transition_latency": 100}},
             {"id": "a", "type": "service", "sim": {"duration": 5000}},
             {"id": "b", "type": "service", "sim": {"duration": 12000}},
             {"id": "c", "type": "database", "sim": {"latency": 2000}}],
           "connections": [{"from": "api", "to": "sm", "kind": "invoke"},
             {"from": "sm", "to": "a", "kind": "invoke", "sim": {"step": 1}},
             {"from": "sm", "to": "b", "kind": "invoke", "sim": {"step": 1},
              "props": {"Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1,
                                   "IntervalSeconds": 3}]}},
             {"from": "sm", "to": "c", "kind": "invoke", "sim": {"step": 2}}])",
        "/connections/0", "api \u2192 sm \u2192 b: up to 29.3 s");
    row("a catch path is no step of the chain",
        R"("components": [{"id": "api", "type": "api"},
             {"id": "sm", "type": "state_machine", "sim": {"transition_latency": 100}},
             {"id": "a", "type": "service", "sim": {"duration": 5000}},
             {"id": "b", "type": "service", "sim": {"duration": 12000}},
             {"id": "c", "type": "database", "sim": {"latency": 2000}},
             {"id": "undo", "type": "service", "sim": {"duration": 60000}}],
           "connections": [{"from": "api", "to": "sm", "kind": "invoke"},
             {"from": "sm", "to": "a", "kind": "invoke", "sim": {"step": 1}},
             {"from": "sm", "to": "b", "kind": "invoke", "sim": {"step": 1},
              "props": {"Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1,
                                   "IntervalSeconds": 3}]}},
             {"from": "sm", "to": "c", "kind": "invoke", "sim": {"step": 2},
              "props": {"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "undo"}]}},
             {"from": "sm", "to": "undo", "kind": "invoke", "sim": {"catch_only": true}}])",
        "/connections/0", "api \u2192 sm \u2192 b: up to 29.3 s");
    row("catch-only Task no catcher leads to",
        R"("components": [{"id": "sm", "type": "state_machine"}, {"id": "s", "type": "service"},
             {"id": "undo", "type": "service"}],
           "connections": [{"from": "sm", "to": "s", "kind": "invoke"},
             {"from": "sm", "to": "undo", "kind": "invoke", "sim": {"catch_only": true}}])",
        "/connections/1/sim/catch_only",
        "no catcher leads to the catch-only Task calling \"undo\", so it never runs");

    // (f) retries without backoff.
    row("retries without backoff",
        R"("components": [{"id": "s", "type": "service"}, {"id": "db", "type": "database"}],
           "connections": [{"from": "s", "to": "db", "kind": "invoke",
                            "sim": {"max_retries": 3, "backoff_ms": 0}}])",
        "/connections/0/sim/backoff_ms", "retries 3 times without backoff");

    // (g) a producer without traffic.
    row("producer without traffic", R"("components": [{"id": "p", "type": "producer"}])",
        "/components/0", "producer \"p\" has no traffic entry");

    // (h) a poison record blocks a Kinesis shard.
    row("stream mapping retrying forever",
        R"("components": [{"id": "s", "type": "stream"}, {"id": "f", "type": "function"}],
           "connections": [{"from": "s", "to": "f", "kind": "event_source"}])",
        "/connections/0", "retried until it expires after the stream's 24 h retention");
    row("stream mapping whose failures go to a function",
        R"("components": [{"id": "s", "type": "stream"}, {"id": "f", "type": "function"},
             {"id": "g", "type": "function"}],
           "connections": [{"from": "s", "to": "f", "kind": "event_source",
                            "props": {"MaximumRecordAgeInSeconds": 3600}},
             {"from": "f", "to": "g", "kind": "on_failure"}])",
        "/connections/0",
        "until it is 3600 s old, its shard stops meanwhile, and no on-failure destination keeps a "
        "record of what was skipped (function \"g\" cannot be a stream mapping's destination");

    // (i) settings that do nothing where they are, or not what they may seem.
    row("Source and DetailType on a send to a queue",
        R"("components": [{"id": "s", "type": "service"}, {"id": "q", "type": "queue"},
             {"id": "dlq", "type": "queue"}],
           "connections": [{"from": "s", "to": "q", "kind": "send",
                            "props": {"Source": "shop", "DetailType": "OrderPlaced"}},
             {"from": "q", "to": "dlq", "kind": "dead_letter"}])",
        "/connections/0/props/Source",
        "Source and DetailType make a PutEvents entry; a send to queue \"q\" ignores them");
    row("call_pattern on a state machine's call",
        R"("components": [{"id": "sm", "type": "state_machine"}, {"id": "s", "type": "service"}],
           "connections": [{"from": "sm", "to": "s", "kind": "invoke",
                            "sim": {"call_pattern": {"detail-type": ["Checkout"]}}}])",
        "/connections/0/sim/call_pattern",
        "call_pattern does nothing on a call from state machine \"sm\"");
    row("max_concurrent_calls on an API's call",
        R"("components": [{"id": "a", "type": "api"}, {"id": "s", "type": "service"}],
           "connections": [{"from": "a", "to": "s", "kind": "invoke",
                            "sim": {"max_concurrent_calls": 20}}])",
        "/connections/0/sim/max_concurrent_calls",
        "max_concurrent_calls does nothing on a call from API \"a\"");
    row("max_concurrent_calls on a function's call",
        R"("components": [{"id": "f", "type": "function"}, {"id": "s", "type": "service"}],
           "connections": [{"from": "f", "to": "s", "kind": "invoke",
                            "sim": {"max_concurrent_calls": 20}}])",
        "/connections/0/sim/max_concurrent_calls",
        "is one limit shared by all its execution environments");
}

void TestValidator::cleanDesignHasNoDiagnostics_data()
{
    QTest::addColumn<QString>("design");

    QTest::newRow("empty") << doc(R"("components": [])");
    // Catchers leading to a later step (by state name), the end, and the catch_only one of two
    // Tasks calling "pay" (by component id).
    QTest::newRow("catchers with every kind of Next") << doc(R"(
        "components": [{"id": "sm", "type": "state_machine"}, {"id": "reserve", "type": "function"},
          {"id": "pay", "type": "function"}, {"id": "ship", "type": "function"}],
        "connections": [
          {"from": "sm", "to": "reserve", "kind": "invoke", "sim": {"step": 1},
           "props": {"Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "InvokeShip"},
                               {"ErrorEquals": ["States.ALL"], "Next": "Done"}]}},
          {"from": "sm", "to": "pay", "kind": "invoke", "sim": {"step": 2},
           "props": {"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "pay"}]}},
          {"from": "sm", "to": "ship", "kind": "invoke", "sim": {"step": 3}},
          {"from": "sm", "to": "pay", "kind": "invoke", "sim": {"catch_only": true}}])");
    // An imported Task's catcher may name any state of the definition it came with.
    QTest::newRow("catcher leading to a state of an imported definition") << doc(R"(
        "components": [{"id": "sm", "type": "state_machine",
           "props": {"Definition": {"StartAt": "Charge", "States": {
             "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]},
             "Failed": {"Type": "Fail"}}}}},
          {"id": "charge", "type": "function"}],
        "connections": [{"from": "sm", "to": "charge", "kind": "invoke",
          "props": {"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
                    "TemplateOrigin": {"Implied": "Definition", "State": "Charge"}}}])");
    QTest::newRow("well-built pipeline") << doc(R"(
        "components": [
          {"id": "web", "type": "producer"},
          {"id": "api", "type": "api"},
          {"id": "handler", "type": "function"},
          {"id": "orders", "type": "queue",
           "props": {"VisibilityTimeout": 70, "RedrivePolicy": {"maxReceiveCount": 5}}},
          {"id": "ordersDlq", "type": "queue"},
          {"id": "worker", "type": "function",
           "props": {"Timeout": 10, "ReservedConcurrentExecutions": 20}},
          {"id": "bus", "type": "event_bus"},
          {"id": "paid", "type": "rule",
           "props": {"EventPattern": {"source": ["shop"], "detail": {"total": [{"numeric": [">", 0]}]}}}},
          {"id": "notify", "type": "function"},
          {"id": "failures", "type": "queue"},
          {"id": "ruleDlq", "type": "queue"},
          {"id": "news", "type": "topic"},
          {"id": "audit", "type": "queue"},
          {"id": "auditDlq", "type": "queue"},
          {"id": "auditor", "type": "service"},
          {"id": "db", "type": "database"},
          {"id": "clicks", "type": "stream"},
          {"id": "analytics", "type": "function"},
          {"id": "ledger", "type": "topic", "props": {"FifoTopic": true}},
          {"id": "ledgerQueue", "type": "queue", "props": {"FifoQueue": true}},
          {"id": "ledgerDlq", "type": "queue", "props": {"FifoQueue": true}},
          {"id": "bookkeeper", "type": "function"}
        ],
        "connections": [
          {"from": "web", "to": "api", "kind": "invoke"},
          {"from": "api", "to": "handler", "kind": "invoke"},
          {"from": "handler", "to": "db", "kind": "invoke",
           "sim": {"timeout_ms": 1000, "max_retries": 2, "backoff_ms": 50}},
          {"from": "handler", "to": "orders", "kind": "send"},
          {"from": "orders", "to": "worker", "kind": "event_source",
           "props": {"BatchSize": 100, "MaximumBatchingWindowInSeconds": 1,
                     "ScalingConfig": {"MaximumConcurrency": 20}}},
          {"from": "orders", "to": "ordersDlq", "kind": "dead_letter"},
          {"from": "worker", "to": "bus", "kind": "send",
           "props": {"Source": "shop", "DetailType": "OrderPaid"}},
          {"from": "bus", "to": "paid", "kind": "subscription"},
          {"from": "paid", "to": "notify", "kind": "rule_target"},
          {"from": "paid", "to": "news", "kind": "rule_target"},
          {"from": "paid", "to": "ruleDlq", "kind": "dead_letter", "sim": {"for": "notify"}},
          {"from": "notify", "to": "failures", "kind": "on_failure"},
          {"from": "news", "to": "audit", "kind": "subscription",
           "props": {"FilterPolicy": {"region": ["eu-west-1"]}}},
          {"from": "audit", "to": "auditor", "kind": "event_source"},
          {"from": "audit", "to": "auditDlq", "kind": "dead_letter"},
          {"from": "handler", "to": "clicks", "kind": "send"},
          {"from": "clicks", "to": "analytics", "kind": "event_source",
           "props": {"MaximumRetryAttempts": 3, "BisectBatchOnFunctionError": true}},
          {"from": "analytics", "to": "failures", "kind": "on_failure"},
          {"from": "handler", "to": "ledger", "kind": "send"},
          {"from": "ledger", "to": "ledgerQueue", "kind": "subscription"},
          {"from": "ledgerQueue", "to": "bookkeeper", "kind": "event_source", "props": {"BatchSize": 10}},
          {"from": "ledgerQueue", "to": "ledgerDlq", "kind": "dead_letter"}
        ],
        "traffic": [{"producer": "web", "profile": {"kind": "ramp", "rate": 5, "to_rate": 50,
                                                     "start_s": 10, "end_s": 50},
                     "events": [{"weight": 3, "source": "shop", "detail-type": "OrderPlaced",
                                 "detail": {"total": {"dist": "lognormal", "p50": 40, "p99": 400},
                                            "currency": {"oneOf": ["EUR", "USD"]}},
                                 "attributes": {"region": "eu-west-1"}, "size_bytes": 2048}]}],
        "faults": [{"component": "db", "kind": "latency", "start_s": 20, "end_s": 30, "value": 3}],
        "simulation": {"duration_s": 60, "warmup_s": 5})");
    QTest::newRow("chain within an HTTP API's 30 s") << doc(R"(
        "components": [{"id": "api", "type": "api", "props": {"ApiType": "HTTP"}},
          {"id": "svc", "type": "service", "sim": {"duration": 29500}}],
        "connections": [{"from": "api", "to": "svc", "kind": "invoke"}])");
    QTest::newRow("function timeout bounds the chain") << doc(R"(
        "components": [{"id": "api", "type": "api"},
          {"id": "f", "type": "function", "props": {"Timeout": 20}},
          {"id": "slow", "type": "service", "sim": {"duration": 60000}}],
        "connections": [{"from": "api", "to": "f", "kind": "invoke"},
          {"from": "f", "to": "slow", "kind": "invoke", "sim": {"timeout_ms": 50000}}])");
    QTest::newRow("state machine task timeout bounds the chain") << doc(R"(
        "components": [{"id": "api", "type": "api"},
          {"id": "sm", "type": "state_machine", "sim": {"transition_latency": 100}},
          {"id": "a", "type": "service", "sim": {"duration": 5000}},
          {"id": "b", "type": "service", "sim": {"duration": 12000}},
          {"id": "c", "type": "database", "sim": {"latency": 15000}}],
        "connections": [{"from": "api", "to": "sm", "kind": "invoke"},
          {"from": "sm", "to": "a", "kind": "invoke", "sim": {"step": 1}},
          {"from": "sm", "to": "b", "kind": "invoke", "sim": {"step": 1},
           "props": {"Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1,
                                "IntervalSeconds": 3}]}},
          {"from": "sm", "to": "c", "kind": "invoke", "sim": {"step": 2},
           "props": {"TimeoutSeconds": 1}}])");
    QTest::newRow("visibility exactly 6x timeout") << doc(R"(
        "components": [{"id": "q", "type": "queue", "props": {"VisibilityTimeout": 60}},
          {"id": "f", "type": "function", "props": {"Timeout": 10}}, {"id": "dlq", "type": "queue"}],
        "connections": [{"from": "q", "to": "f", "kind": "event_source"},
          {"from": "q", "to": "dlq", "kind": "dead_letter"}])");
    QTest::newRow("receive count 5 with reserved consumer") << doc(R"(
        "components": [{"id": "q", "type": "queue", "props": {"RedrivePolicy": {"maxReceiveCount": 5}}},
          {"id": "f", "type": "function", "props": {"ReservedConcurrentExecutions": 10}},
          {"id": "dlq", "type": "queue"}],
        "connections": [{"from": "q", "to": "f", "kind": "event_source",
                         "props": {"ScalingConfig": {"MaximumConcurrency": 10}}},
          {"from": "q", "to": "dlq", "kind": "dead_letter"}])");
    QTest::newRow("reserving exactly 900 of 1000") << doc(R"(
        "components": [
          {"id": "f1", "type": "function", "props": {"ReservedConcurrentExecutions": 500}},
          {"id": "f2", "type": "function", "props": {"ReservedConcurrentExecutions": 400}}])");
    QTest::newRow("stream mapping with bounded retries") << doc(R"(
        "components": [{"id": "s", "type": "stream"}, {"id": "f", "type": "function"}],
        "connections": [{"from": "s", "to": "f", "kind": "event_source",
                         "props": {"MaximumRetryAttempts": 3}}])");
    QTest::newRow("stream mapping with an on-failure queue") << doc(R"(
        "components": [{"id": "s", "type": "stream"}, {"id": "f", "type": "function"},
          {"id": "q", "type": "queue"}],
        "connections": [{"from": "s", "to": "f", "kind": "event_source"},
          {"from": "f", "to": "q", "kind": "on_failure"}])");
    QTest::newRow("queue with an imported redrive target") << doc(R"(
        "components": [{"id": "q", "type": "queue",
                        "props": {"RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:dlq",
                                                    "maxReceiveCount": 5}}},
          {"id": "f", "type": "function"}],
        "connections": [{"from": "q", "to": "f", "kind": "event_source"}])");
    QTest::newRow("async function with a dead-letter topic") << doc(R"(
        "components": [{"id": "t", "type": "topic"}, {"id": "f", "type": "function"},
          {"id": "dead", "type": "topic"}],
        "connections": [{"from": "t", "to": "f", "kind": "subscription"},
          {"from": "f", "to": "dead", "kind": "dead_letter"}])");
    QTest::newRow("general and specific dead-letter queues") << doc(R"(
        "components": [{"id": "r", "type": "rule", "props": {"EventPattern": {"source": ["shop"]}}},
          {"id": "a", "type": "queue"}, {"id": "b", "type": "queue"},
          {"id": "dlq", "type": "queue"}, {"id": "aDlq", "type": "queue"}],
        "connections": [{"from": "r", "to": "a", "kind": "rule_target"},
          {"from": "r", "to": "b", "kind": "rule_target"},
          {"from": "r", "to": "dlq", "kind": "dead_letter"},
          {"from": "r", "to": "aDlq", "kind": "dead_letter", "sim": {"for": "a"}}])");
    QTest::newRow("sync chain with cycle") << doc(R"(
        "components": [{"id": "api", "type": "api"}, {"id": "a", "type": "service"},
          {"id": "b", "type": "service"}],
        "connections": [{"from": "api", "to": "a", "kind": "invoke"},
          {"from": "a", "to": "b", "kind": "invoke"}, {"from": "b", "to": "a", "kind": "invoke"}])");
}

void TestValidator::cleanDesignHasNoDiagnostics()
{
    QFETCH(QString, design);
    bool loaded = false;
    const Diagnostics diagnostics = validate(design, &loaded);
    QVERIFY(loaded);
    QVERIFY2(diagnostics.empty(), qPrintable(describe(diagnostics)));
}

void TestValidator::suggestsTheNearestSimulationParameter()
{
    bool loaded = false;
    const auto diagnostics = validate(
        doc(R"("components": [{"id": "f", "type": "function", "sim": {"cold_strat": 5}}])"),
        &loaded);
    QVERIFY(loaded);
    QCOMPARE(diagnostics.size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(diagnostics[0].fix),
             QStringLiteral("did you mean \"cold_start\"?"));
    QVERIFY(QString::fromStdString(diagnostics[0].message)
                .contains(QStringLiteral("duration, error_rate")));
}

void TestValidator::keepsUnknownAwsPropertiesQuietly()
{
    bool loaded = false;
    const auto diagnostics = validate(doc(R"("components": [
        {"id": "q", "type": "queue", "props": {"KmsMasterKeyId": "alias/aws/sqs",
                                              "Tags": [{"Key": "team", "Value": "orders"}],
                                              "RedrivePolicy": {"deadLetterTargetArn": "arn:x"}}}])"),
                                      &loaded);
    QVERIFY(loaded);
    QVERIFY2(diagnostics.empty(), qPrintable(describe(diagnostics)));
}

void TestValidator::reportsEveryProblemOfOneDesign()
{
    bool loaded = false;
    const auto diagnostics = validate(doc(R"(
        "components": [{"id": "p", "type": "producer"}, {"id": "q", "type": "queue"}],
        "connections": [{"from": "p", "to": "q", "kind": "send"}, {"from": "p", "to": "nope", "kind": "send"}],
        "traffic": [{"producer": "p", "profile": {"rate": -1}}],
        "simulation": {"duration_s": -5})"),
                                      &loaded);
    QVERIFY(loaded);
    std::vector<std::string> pointers;
    for (const auto& d : diagnostics)
        pointers.push_back(d.pointer);
    const std::vector<std::string> expected = {"/connections/1/to", "/traffic/0/profile/rate",
                                               "/simulation/duration_s"};
    QVERIFY2(pointers == expected, qPrintable(describe(diagnostics)));
}

QTEST_APPLESS_MAIN(TestValidator)
#include "TestValidator.moc"
