// Runs the real `eventflow` binary: exit codes, messages, result documents, and every example
// simulating as its description says.

#include <QtTest>
#include <map>
#include <nlohmann/json.hpp>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run eventflow(const QStringList& arguments)
{
    QProcess process;
    process.start(QStringLiteral(EVENTFLOW_BINARY_DIR "/app/eventflow"), arguments);
    if (!process.waitForFinished(120000))
        qFatal("eventflow did not finish");
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

QString example(const char* name)
{
    return QStringLiteral(EVENTFLOW_SOURCE_DIR "/examples/") + name + ".eventflow.json";
}

nlohmann::json simulateJson(const QString& file, const QStringList& extra = {})
{
    const Run run = eventflow(QStringList{"simulate", file, "--json", "-"} + extra);
    if (run.exitCode != 0)
        qFatal("simulate failed: %s", qPrintable(run.err));
    return nlohmann::json::parse(run.out.toStdString());
}

QString writeTemp(QTemporaryDir& dir, const QString& name, const QByteArray& content)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write temp file");
    f.write(content);
    return path;
}

} // namespace

class TestCommandLine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void versionAndHelp()
    {
        const Run version = eventflow({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("eventflow "));
        for (const char* command : {"validate", "simulate", "test-pattern"}) {
            const Run help = eventflow({command, "--help"});
            QCOMPARE(help.exitCode, 0);
            QVERIFY(help.out.contains("Usage") || help.out.contains("USAGE") ||
                    help.out.contains("Options") || help.out.contains("OPTIONS"));
        }
        QCOMPARE(eventflow({}).exitCode, 2);
        QCOMPARE(eventflow({"simulate"}).exitCode, 2);
    }

    void examplesValidate_data()
    {
        QTest::addColumn<QString>("file");
        const QDir examples(QStringLiteral(EVENTFLOW_SOURCE_DIR "/examples"));
        const auto files = examples.entryInfoList({"*.eventflow.json"}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 12);
        for (const auto& file : files)
            QTest::newRow(qPrintable(file.fileName())) << file.filePath();
    }
    void examplesValidate()
    {
        QFETCH(QString, file);
        const Run run = eventflow({"validate", file});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("valid"));
        QVERIFY2(!run.err.contains("error:"), qPrintable(run.err));
    }

    void malformedFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << QByteArray(R"({"format": "eventflow/1", "components": [)")
                                   << 2 << "not valid JSON";
        QTest::newRow("not an object") << QByteArray("[1, 2]") << 1 << "must hold a JSON object";
        QTest::newRow("wrong type") << QByteArray(R"({"format": "eventflow/1", "components": {}})")
                                    << 1 << "/components: error: expected an array";
        QTest::newRow("unknown type")
            << QByteArray(R"({"format": "eventflow/1", "components": [{"id": "x", "type": "mainframe"}]})")
            << 1 << "/components/0/type: error: unknown component type \"mainframe\"";
        QTest::newRow("dangling connection")
            << QByteArray(R"({"format": "eventflow/1", "components": [{"id": "q", "type": "queue"}],
                 "connections": [{"from": "q", "to": "ghost", "kind": "event_source"}]})")
            << 1 << "/connections/0/to: error:";
        QTest::newRow("negative rate")
            << QByteArray(R"({"format": "eventflow/1", "components": [{"id": "p", "type": "producer"}],
                 "traffic": [{"producer": "p", "profile": {"kind": "poisson", "rate": -5}}]})")
            << 1 << "/traffic/0/profile/rate: error:";
        QTest::newRow("unknown format") << QByteArray(R"({"format": "eventflow/9", "components": []})")
                                        << 1 << "unsupported format";
    }
    void malformedFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, exitCode);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString file = writeTemp(dir, "bad.eventflow.json", content);
        for (const char* command : {"validate", "simulate"}) {
            const Run run = eventflow({command, file});
            QCOMPARE(run.exitCode, exitCode);
            QVERIFY2(run.err.contains(expected), qPrintable(run.err));
            QVERIFY(!run.err.contains("terminate"));
        }
    }

    // The guide's component page is the output of `eventflow reference`, so it never drifts
    // from the catalogue: docs/build.sh writes it again.
    void referenceIsTheGuidesComponentPage()
    {
        const Run run = eventflow({"reference"});
        QCOMPARE(run.exitCode, 0);
        QFile page(QStringLiteral(EVENTFLOW_SOURCE_DIR "/docs/guide/components.md"));
        QVERIFY(page.open(QIODevice::ReadOnly));
        QVERIFY2(QString::fromUtf8(page.readAll()) == run.out,
                 "docs/guide/components.md is stale: run docs/build.sh");
        for (const char* expected : {"### Queue (`queue`)", "`RedrivePolicy.maxReceiveCount` | `props`",
                                     "`ReservedConcurrentExecutions`", "### `event_source`",
                                     "Amazon Kinesis Data Streams", "`workers` | `sim`"})
            QVERIFY2(run.out.contains(QString::fromUtf8(expected)), expected);
    }

    // Every relative link and picture of the README and the guide points at a file that exists.
    void guideLinksResolve()
    {
        const QDir source(QStringLiteral(EVENTFLOW_SOURCE_DIR));
        QStringList pages = {source.filePath("README.md"), source.filePath("examples/README.md")};
        for (const auto& page : QDir(source.filePath("docs/guide")).entryInfoList({"*.md"}))
            pages << page.filePath();
        QVERIFY(pages.size() >= 8);
        const QRegularExpression link(QStringLiteral("\\]\\(([^)#\\s]+)(#[^)]*)?\\)"));
        int checked = 0;
        for (const QString& page : pages) {
            QFile file(page);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(file.readAll());
            for (auto it = link.globalMatch(text); it.hasNext();) {
                const QString target = it.next().captured(1);
                if (target.startsWith(QStringLiteral("http")))
                    continue;
                const QString resolved = QFileInfo(page).dir().filePath(target);
                QVERIFY2(QFileInfo::exists(resolved), qPrintable(page + ": " + target));
                ++checked;
            }
        }
        QVERIFY(checked > 40);
    }

    void missingFileIsUnreadable()
    {
        const Run run = eventflow({"validate", "/nonexistent/design.eventflow.json"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("cannot open"));
    }

    void sameSeedSameDocument()
    {
        const auto a = simulateJson(example("order-flow-async"), {"--duration", "60", "--seed", "7"});
        const auto b = simulateJson(example("order-flow-async"), {"--duration", "60", "--seed", "7"});
        QCOMPARE(QString::fromStdString(a.dump()), QString::fromStdString(b.dump()));
        const auto c = simulateJson(example("order-flow-async"), {"--duration", "60", "--seed", "8"});
        QVERIFY(a["summary"]["requests"] != c["summary"]["requests"] ||
                a["summary"]["latency_ms"] != c["summary"]["latency_ms"]);
        QCOMPARE(a["run"]["seed"].get<int>(), 7);
        QCOMPARE(a["run"]["duration_s"].get<double>(), 60.0);
    }

    void resultDocumentHasTheDocumentedShape()
    {
        const auto r = simulateJson(example("fanout-throttled"), {"--duration", "10"});
        for (const char* key : {"requests", "completed", "failed", "throttled", "timed_out",
                                "dead_lettered", "expired"})
            QVERIFY2(r["summary"].contains(key), key);
        for (const char* q : {"mean", "p50", "p90", "p95", "p99", "max"})
            QVERIFY2(r["summary"]["latency_ms"].contains(q), q);
        const auto& queue = r["components"]["ledger-queue"];
        for (const char* key : {"received", "completed", "failed", "throttled", "timed_out",
                                "retried", "dead_lettered", "backlog", "oldest_age_s_max",
                                "concurrency_max", "latency_ms"})
            QVERIFY2(queue.contains(key), key);
        QVERIFY(queue["backlog"].contains("max") && queue["backlog"].contains("final") &&
                queue["backlog"].contains("mean"));
        QCOMPARE(r["timeseries"]["interval_s"].get<double>(), 1.0);
        QCOMPARE(r["timeseries"]["t"].size(), 10u);
        QCOMPARE(r["timeseries"]["components"]["ledger-queue"]["backlog"].size(), 10u);
    }

    void csvAndJsonFiles()
    {
        QTemporaryDir dir;
        const Run run = eventflow({"simulate", example("fanout-throttled"), "--duration", "5",
                                   "--json", dir.filePath("r.json"), "--csv", dir.filePath("csv")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("Requests"));
        QVERIFY(QFileInfo(dir.filePath("r.json")).size() > 1000);
        QFile csv(dir.filePath("csv/ledger-queue.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const auto lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 6); // header + 5 samples
        QVERIFY(lines.front().startsWith("t,backlog,"));
        QVERIFY(QFileInfo(dir.filePath("csv/summary.csv")).size() > 100);
    }

    void replicationsReportConfidenceIntervals()
    {
        const auto r = simulateJson(example("fanout-throttled"),
                                    {"--duration", "5", "--replications", "4"});
        QCOMPARE(r["replications"]["replications"].get<int>(), 4);
        const auto& requests = r["replications"]["summary"]["requests"];
        QVERIFY(requests["ci95"].get<double>() > 0.0);
        QVERIFY(std::abs(requests["mean"].get<double>() - 5000.0) < 200.0);
    }

    // order-flow-sync: forecasting takes 30 s behind a 29 s API: every request ends in a 504.
    void orderFlowSyncTimesOutEveryRequest()
    {
        const auto r = simulateJson(example("order-flow-sync"));
        const auto& s = r["summary"];
        const auto ended = s["requests"].get<double>() - s["in_flight"].get<double>();
        QVERIFY(ended > 2000);
        QCOMPARE(s["completed"].get<int>(), 0);
        QCOMPARE(s["timed_out"].get<double>(), ended);
        QCOMPARE(r["components"]["api"]["timed_out"].get<double>(), ended);
    }

    // order-flow-async: same services through EventBridge; nothing times out, backlog drains.
    void orderFlowAsyncAbsorbsTheSlowdown()
    {
        const auto r = simulateJson(example("order-flow-async"));
        const auto& s = r["summary"];
        QCOMPARE(s["timed_out"].get<int>(), 0);
        QCOMPARE(s["failed"].get<int>(), 0);
        QCOMPARE(s["dead_lettered"].get<int>(), 0);
        QVERIFY(s["completed"].get<double>() > 0.85 * s["requests"].get<double>());
        const auto& backlog = r["components"]["fulfillment-queue"]["backlog"];
        QVERIFY2(backlog["max"].get<double>() > 300, qPrintable(QString::fromStdString(backlog.dump())));
        QVERIFY2(backlog["final"].get<double>() < 20, qPrintable(QString::fromStdString(backlog.dump())));
        QCOMPARE(r["components"]["api"]["timed_out"].get<int>(), 0);
    }

    // The showcase: the synchronous order flow 504s every request, the asynchronous one none.
    void compareTheTwoOrderFlows()
    {
        const Run run = eventflow({"compare", example("order-flow-sync"), example("order-flow-async"),
                                   "--json", "-"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains("success rate (%)"), qPrintable(run.err)); // table to stderr
        const auto doc = nlohmann::json::parse(run.out.toStdString());
        std::map<std::string, nlohmann::json> rows;
        for (const auto& row : doc["rows"])
            rows[row["metric"].get<std::string>()] = row;
        QCOMPARE(rows["success rate"]["a"].get<double>(), 0.0);
        QCOMPARE(rows["success rate"]["b"].get<double>(), 100.0);
        QCOMPARE(rows["success rate"]["better"].get<std::string>(), std::string("b"));
        QVERIFY(rows["timed out (e.g. 504)"]["a"].get<double>() > 2000);
        QCOMPARE(rows["timed out (e.g. 504)"]["b"].get<double>(), 0.0);
        QVERIFY(rows["client response time p99"]["a"].get<double>() > 28000);
        QVERIFY(rows["client response time p99"]["b"].get<double>() < 1000);
        // Same seed and duration for both runs.
        QVERIFY(doc["a"]["results"]["run"]["seed"] == doc["b"]["results"]["run"]["seed"]);
        QVERIFY(doc["a"]["results"]["run"]["duration_s"] ==
                doc["b"]["results"]["run"]["duration_s"]);
        // The cost: API Gateway requests on both sides, EventBridge and SQS only on B's.
        QVERIFY(doc["a"]["cost"]["monthly_usd"].get<double>() > 0);
        QVERIFY(doc["b"]["cost"]["monthly_usd"].get<double>() >
                doc["a"]["cost"]["monthly_usd"].get<double>());
    }

    void reportAsHtmlAndPdf()
    {
        QTemporaryDir dir;
        const QString html = dir.filePath("report.html");
        const QString pdf = dir.filePath("report.pdf");
        QCOMPARE(eventflow({"report", example("order-flow-async"), "-o", html}).exitCode, 0);
        QCOMPARE(eventflow({"report", example("order-flow-async"), "-o", pdf}).exitCode, 0);
        QFile page(html);
        QVERIFY(page.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(page.readAll());
        QVERIFY(text.contains("<h1>Order flow (asynchronous)</h1>"));
        // Self-contained: every figure inlined, the design picture and four charts.
        QCOMPARE(text.count("src=\"data:image/svg+xml;base64,"), 4);
        QVERIFY(!text.contains("src=\"figure-"));
        QVERIFY(text.contains("Estimated monthly cost"));
        QVERIFY(text.contains("fulfillment-queue"));
        QFile document(pdf);
        QVERIFY(document.open(QIODevice::ReadOnly));
        const QByteArray bytes = document.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.size() > 20000);
    }

    void reportNeedsHtmlOrPdf()
    {
        QTemporaryDir dir;
        const Run run = eventflow({"report", example("order-flow-sync"), "-o",
                                   dir.filePath("report.docx")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("OUT.html or OUT.pdf"));
        QVERIFY(!QFile::exists(dir.filePath("report.docx")));
    }

    void compareUsesOneSeedAndDurationForBoth()
    {
        const Run run = eventflow({"compare", example("order-flow-sync"), example("fanout-throttled"),
                                   "--seed", "7", "--duration", "40", "--json", "-"});
        QCOMPARE(run.exitCode, 0);
        const auto doc = nlohmann::json::parse(run.out.toStdString());
        for (const char* side : {"a", "b"}) {
            QCOMPARE(doc[side]["results"]["run"]["seed"].get<int>(), 7);
            QCOMPARE(doc[side]["results"]["run"]["duration_s"].get<double>(), 40.0);
        }
    }

    void compareRefusesAnInvalidDesign()
    {
        QTemporaryDir dir;
        const QString bad = writeTemp(dir, "bad.eventflow.json", R"({"format": "eventflow/1",
            "components": [{"id": "q", "type": "queue", "props": {"VisibilityTimeout": -1}}]})");
        const Run run = eventflow({"compare", example("order-flow-sync"), bad});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("VisibilityTimeout"));
    }

    // retry-storm: during the payment outage (60-120 s), immediate retries hit payments with six
    // times its load; backoff, jitter and a circuit breaker leave it almost alone.
    void retryStormAndItsCure()
    {
        auto loadOnPayments = [](const nlohmann::json& r, double from, double to) {
            const auto& t = r["timeseries"]["t"];
            const auto& received = r["timeseries"]["components"]["payments"]["received_per_s"];
            double sum = 0;
            int n = 0;
            for (std::size_t i = 0; i < t.size(); ++i)
                if (t[i].get<double>() > from && t[i].get<double>() <= to) {
                    sum += received[i].get<double>();
                    ++n;
                }
            return sum / n;
        };
        const auto naive = simulateJson(example("retry-storm-naive"));
        const auto tamed = simulateJson(example("retry-storm-backoff"));
        const double normal = loadOnPayments(naive, 10, 60);
        QVERIFY2(std::abs(normal - 100) < 5, qPrintable(QString::number(normal)));
        // 1 call + 5 immediate retries per request.
        const double storm = loadOnPayments(naive, 61, 120);
        QVERIFY2(storm > 5.5 * normal, qPrintable(QString::number(storm)));
        // The breaker opens: checkout fails fast and payments is left nearly alone.
        const double calm = loadOnPayments(tamed, 61, 120);
        QVERIFY2(calm < 0.25 * normal, qPrintable(QString::number(calm)));
        // After the outage both serve normally again.
        QVERIFY(loadOnPayments(tamed, 140, 180) > 0.9 * normal);
        QVERIFY(loadOnPayments(naive, 140, 180) > 0.9 * normal);
        // The requests of the outage fail either way; the tamed design does not add to them.
        QVERIFY(tamed["summary"]["failed"].get<double>() < 1.1 * naive["summary"]["failed"].get<double>());
    }

    // fanout-throttled: 1,000/s in, ledger drains ~100/s: backlog grows ~900/s, nothing lost.
    void fanoutThrottledGrowsBacklogWithoutLoss()
    {
        const auto r = simulateJson(example("fanout-throttled"));
        const auto& s = r["summary"];
        QCOMPARE(s["dead_lettered"].get<int>(), 0);
        QCOMPARE(s["expired"].get<int>(), 0);
        QCOMPARE(s["failed"].get<int>(), 0);
        QCOMPARE(s["throttled"].get<int>(), 0);
        const auto backlog = r["components"]["ledger-queue"]["backlog"]["final"].get<double>();
        const double expected = 900.0 * 120.0;
        QVERIFY2(std::abs(backlog - expected) < 0.1 * expected,
                 qPrintable(QString("ledger backlog %1, expected about %2").arg(backlog).arg(expected)));
        QVERIFY(r["components"]["analytics-queue"]["backlog"]["final"].get<double>() < 200);
        const auto& growth = r["timeseries"]["components"]["ledger-queue"]["backlog"];
        const double perSecond = (growth[100].get<double>() - growth[50].get<double>()) / 50.0;
        QVERIFY2(std::abs(perSecond - 900.0) < 60.0, qPrintable(QString::number(perSecond)));
    }

    void exportEveryForm_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("syntax");
        for (const char* name : {"order-flow-async", "fanout-throttled"})
            for (const char* format : {"sam", "cloudformation"})
                for (const char* syntax : {"yaml", "json"})
                    QTest::newRow(qPrintable(QString("%1 %2 %3").arg(name, format, syntax)))
                        << example(name) << format << syntax;
    }
    void exportEveryForm()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFETCH(QString, syntax);
        QTemporaryDir dir;
        const QString out = dir.filePath("template." + syntax);
        const Run run = eventflow({"export", file, "--format", format, "--output-format", syntax, "-o", out});
        QCOMPARE(run.exitCode, 0);
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.contains("AWS::SQS::Queue"));
        QCOMPARE(text.contains("AWS::Serverless-2016-10-31"), format == "sam");
        if (syntax == "json")
            QVERIFY(nlohmann::json::parse(text.toStdString()).contains("Resources"));
        // Same design, same bytes.
        const Run again = eventflow({"export", file, "--format", format, "--output-format", syntax});
        QCOMPARE(again.out.toUtf8(), text);
    }

    void exportRefusesAnInvalidDesign()
    {
        QTemporaryDir dir;
        const QString file = writeTemp(dir, "bad.eventflow.json",
                                       R"({"format": "eventflow/1", "components": [{"id": "q", "type": "queue"}],
                                           "connections": [{"from": "q", "to": "ghost", "kind": "event_source"}]})");
        const Run run = eventflow({"export", file, "-o", dir.filePath("t.yaml")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("/connections/0/to: error:"));
        QVERIFY(!QFileInfo::exists(dir.filePath("t.yaml")));
        QCOMPARE(eventflow({"export", file, "--format", "terraform"}).exitCode, 2);
    }

    void importMakesAValidDesign()
    {
        const QString corpus = QStringLiteral(EVENTFLOW_SOURCE_DIR "/../shared/sam-corpus/sns-sqs-fanout.yaml");
        if (!QFileInfo::exists(corpus))
            QSKIP("the SAM corpus (shared/sam-corpus beside the repository) is not here");
        QTemporaryDir dir;
        const QString design = dir.filePath("fanout.eventflow.json");
        const Run run = eventflow({"import", corpus, "-o", design});
        QCOMPARE(run.exitCode, 0);
        const Run check = eventflow({"validate", design});
        QCOMPARE(check.exitCode, 0);
        const Run simulate = eventflow({"simulate", design, "--duration", "5", "-q"});
        QCOMPARE(simulate.exitCode, 0);
    }

    void importRefusesWhatIsNotATemplate()
    {
        QTemporaryDir dir;
        const Run broken = eventflow({"import", writeTemp(dir, "t.yaml", "Resources:\n  Queue: [unclosed\n")});
        QCOMPARE(broken.exitCode, 1);
        QVERIFY2(broken.err.contains("error"), qPrintable(broken.err));
        const Run notTemplate = eventflow({"import", writeTemp(dir, "n.yaml", "just: a map\n")});
        QCOMPARE(notTemplate.exitCode, 1);
        QCOMPARE(eventflow({"import", "/nonexistent/template.yaml"}).exitCode, 2);
    }

    void testPattern_data()
    {
        QTest::addColumn<QByteArray>("pattern");
        QTest::addColumn<QByteArray>("event");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("output");
        const QByteArray event = R"({"source": "shop.orders", "detail-type": "OrderPlaced",
                                      "detail": {"amount": 250, "region": "eu-west-1"}})";
        QTest::newRow("match") << QByteArray(R"({"source": ["shop.orders"], "detail": {"amount": [{"numeric": [">", 100]}]}})")
                               << event << 0 << "match";
        QTest::newRow("no match") << QByteArray(R"({"detail": {"region": [{"prefix": "us-"}]}})")
                                  << event << 1 << "no match";
        QTest::newRow("invalid pattern") << QByteArray(R"({"detail": {"region": "eu"}})") << event
                                         << 2 << "";
    }
    void testPattern()
    {
        QFETCH(QByteArray, pattern);
        QFETCH(QByteArray, event);
        QFETCH(int, exitCode);
        QFETCH(QString, output);
        QTemporaryDir dir;
        const Run run = eventflow({"test-pattern", "--pattern", writeTemp(dir, "p.json", pattern),
                                   "--event", writeTemp(dir, "e.json", event)});
        QCOMPARE(run.exitCode, exitCode);
        if (!output.isEmpty())
            QCOMPARE(run.out.trimmed(), output);
        else
            QVERIFY(run.err.contains("error"));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "TestCommandLine.moc"
