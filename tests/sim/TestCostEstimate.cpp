// The monthly cost estimate against bills worked out by hand from the unit prices
// (../shared/aws-behaviour.md section 10).
#include "model/DesignFile.h"
#include "sim/CostEstimate.h"
#include "sim/Engine.h"
#include "sim/RunReport.h"

#include <QXmlStreamReader>

#include <QtTest>

using namespace eventflow;

namespace {

sim::CostEstimate estimate(const std::string& text)
{
    auto loaded = model::DesignFile::parse(text);
    if (!loaded.design)
        qFatal("test design does not load");
    sim::Engine engine(*loaded.design);
    engine.run();
    return sim::CostEstimate::of(*loaded.design, engine.results());
}

double usd(const sim::CostEstimate& e, const std::string& component, const std::string& item)
{
    for (const auto& line : e.lines)
        if (line.component == component && line.item == item)
            return line.monthlyUsd;
    return -1;
}

} // namespace

class TestCostEstimate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void apiInFrontOfAFunction()
    {
        // 10 requests/s at a constant rate for 100 s; the function always takes 100 ms with no
        // cold start, so it is busy 1 execution on average (Little's law).
        const auto e = estimate(R"({"format": "eventflow/1",
            "components": [
              {"id": "clients", "type": "producer"},
              {"id": "api", "type": "api", "props": {"ApiType": "REST"}},
              {"id": "fn", "type": "function", "props": {"MemorySize": 512, "Timeout": 3},
               "sim": {"duration": {"dist": "constant", "value": 100},
                       "cold_start": {"dist": "constant", "value": 0}}}],
            "connections": [{"from": "clients", "to": "api", "kind": "invoke"},
                            {"from": "api", "to": "fn", "kind": "invoke"}],
            "traffic": [{"producer": "clients", "profile": {"kind": "constant", "rate": 10}}],
            "simulation": {"duration_s": 100}})");
        const double month = 30 * 86400.0;
        const double requests = 10 * month; // 25,920,000
        QCOMPARE(e.monthScale, month / 100.0);
        // REST API: $3.50 per million.
        QVERIFY(std::abs(usd(e, "api", "requests") - requests / 1e6 * 3.50) < 0.01 * 90.72);
        // Lambda: $0.20 per million requests.
        QVERIFY(std::abs(usd(e, "fn", "requests") - requests / 1e6 * 0.20) < 0.01 * 5.184);
        // Lambda: 1 execution x 0.5 GB x a month of seconds x $0.0000166667 = $21.60.
        const double gbSeconds = 1.0 * 0.5 * month * 0.0000166667;
        QVERIFY2(std::abs(usd(e, "fn", "GB-seconds") - gbSeconds) < 0.02 * gbSeconds,
                 qPrintable(QString::number(usd(e, "fn", "GB-seconds"))));
        QVERIFY(std::abs(e.monthlyUsd - (90.72 + 5.184 + gbSeconds)) < 0.02 * e.monthlyUsd);
    }

    void queueTopicBusAndStream()
    {
        // 100 messages/s for 60 s through a topic to a queue polled in batches of 10, and to a
        // bus; a two-shard stream beside them.
        const auto e = estimate(R"({"format": "eventflow/1",
            "components": [
              {"id": "app", "type": "producer"},
              {"id": "topic", "type": "topic"},
              {"id": "queue", "type": "queue", "props": {"VisibilityTimeout": 60}},
              {"id": "worker", "type": "function", "props": {"Timeout": 5},
               "sim": {"duration": {"dist": "constant", "value": 10}}},
              {"id": "stream", "type": "stream", "props": {"ShardCount": 2}}],
            "connections": [{"from": "app", "to": "topic", "kind": "send"},
                            {"from": "app", "to": "stream", "kind": "send"},
                            {"from": "topic", "to": "queue", "kind": "subscription"},
                            {"from": "queue", "to": "worker", "kind": "event_source",
                             "props": {"BatchSize": 10}}],
            "traffic": [{"producer": "app", "profile": {"kind": "constant", "rate": 100}}],
            "simulation": {"duration_s": 60}})");
        const double month = 30 * 86400.0;
        const double messages = 100 * month;
        // SNS: $0.50 per million publishes; deliveries to SQS are free.
        QVERIFY(std::abs(usd(e, "topic", "publishes") - messages / 1e6 * 0.50) < 0.01 * 129.6);
        QCOMPARE(usd(e, "topic", "HTTP deliveries"), -1.0);
        // SQS: a send per message plus a receive and a delete per batch of 10: 1.2 requests.
        QVERIFY(std::abs(usd(e, "queue", "requests") - messages * 1.2 / 1e6 * 0.40) <
                0.01 * 124.4);
        // Kinesis: 2 shards x 720 h x $0.015 = $21.60, plus PUT units at $0.014 per million.
        QCOMPARE(usd(e, "stream", "shard-hours"), 2 * 720 * 0.015);
        QVERIFY(std::abs(usd(e, "stream", "PUT payload units") - messages / 1e6 * 0.014) < 0.05);
    }

    void stepFunctionsAndEventBridge()
    {
        // 10 executions/s for 100 s of a Standard state machine with two Task states (a function
        // call and a send to a bus): 3 transitions each (two Tasks and the end), no retries.
        const auto e = estimate(R"({"format": "eventflow/1",
            "components": [
              {"id": "app", "type": "producer"},
              {"id": "flow", "type": "state_machine"},
              {"id": "step", "type": "function", "props": {"Timeout": 3},
               "sim": {"duration": {"dist": "constant", "value": 10},
                       "cold_start": {"dist": "constant", "value": 0}}},
              {"id": "bus", "type": "event_bus"}],
            "connections": [{"from": "app", "to": "flow", "kind": "send"},
                            {"from": "flow", "to": "step", "kind": "invoke"},
                            {"from": "flow", "to": "bus", "kind": "send"}],
            "traffic": [{"producer": "app", "profile": {"kind": "constant", "rate": 10}}],
            "simulation": {"duration_s": 100}})");
        const double executions = 10 * 30 * 86400.0;
        // $0.025 per 1,000 transitions.
        const double transitions = executions * 3;
        QVERIFY2(std::abs(usd(e, "flow", "state transitions") - transitions / 1e3 * 0.025) <
                     0.01 * 1944,
                 qPrintable(QString::number(usd(e, "flow", "state transitions"))));
        // EventBridge: $1.00 per million events put on the bus.
        QVERIFY(std::abs(usd(e, "bus", "events") - executions / 1e6 * 1.00) < 0.01 * 25.92);
    }

    void reportCarriesTheRun()
    {
        auto loaded = model::DesignFile::load(EVENTFLOW_SOURCE_DIR
                                              "/examples/fanout-throttled.eventflow.json");
        QVERIFY(loaded.design);
        sim::Engine engine(*loaded.design);
        engine.run();
        const auto results = engine.results();
        const auto report = sim::RunReport::build(*loaded.design, results);
        // Design picture, latency, throughput, failures? none here, backlog.
        QCOMPARE(report.figures().size(), std::size_t(4));
        for (const auto& figure : report.figures()) {
            QXmlStreamReader xml(QByteArray::fromStdString(figure.svg));
            while (!xml.atEnd())
                xml.readNext();
            QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
            QVERIFY(report.html().find("src=\"" + figure.name + "\"") != std::string::npos);
        }
        // Every component is in the picture and in the tables; the cost total is there.
        for (const auto& c : loaded.design->components) {
            QVERIFY(report.figures()[0].svg.find(c.label.substr(0, 20)) != std::string::npos);
            QVERIFY(report.html().find("<td>" + c.id + "</td>") != std::string::npos);
        }
        const auto cost = sim::CostEstimate::of(*loaded.design, results);
        char total[32];
        std::snprintf(total, sizeof total, "$%.2f", cost.monthlyUsd);
        QVERIFY(report.html().find(total) != std::string::npos);
        // The same run gives the same report.
        QCOMPARE(sim::RunReport::build(*loaded.design, results).html(), report.html());
    }
};

QTEST_APPLESS_MAIN(TestCostEstimate)
#include "TestCostEstimate.moc"
