#include "model/YamlReader.h"

#include <QtTest>

using namespace eventflow::model;
using Json = nlohmann::ordered_json;

namespace {

Json read(const char* text)
{
    Diagnostics diagnostics;
    const auto result = readYaml(text, diagnostics);
    if (!result) {
        QString messages;
        for (const auto& d : diagnostics)
            messages += QString::fromStdString(d.message) + "\n";
        qWarning("%s", qPrintable(messages));
        return Json();
    }
    return *result;
}

Json parse(const char* json)
{
    return Json::parse(json);
}

} // namespace

class TestYamlReader : public QObject {
    Q_OBJECT

private slots:
    void everyShortFormBecomesItsLongForm_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("json");
        QTest::newRow("Ref") << "v: !Ref Orders"
                             << R"({"v": {"Ref": "Orders"}})";
        QTest::newRow("Condition") << "v: !Condition IsProd"
                                   << R"({"v": {"Condition": "IsProd"}})";
        QTest::newRow("GetAtt dotted") << "v: !GetAtt Orders.Arn"
                                       << R"({"v": {"Fn::GetAtt": ["Orders", "Arn"]}})";
        QTest::newRow("GetAtt nested attribute")
            << "v: !GetAtt Db.Endpoint.Address"
            << R"({"v": {"Fn::GetAtt": ["Db", "Endpoint.Address"]}})";
        QTest::newRow("GetAtt list") << "v: !GetAtt [Orders, Arn]"
                                     << R"({"v": {"Fn::GetAtt": ["Orders", "Arn"]}})";
        QTest::newRow("Sub string") << "v: !Sub '${AWS::StackName}-q'"
                                    << R"({"v": {"Fn::Sub": "${AWS::StackName}-q"}})";
        QTest::newRow("Sub list") << "v: !Sub ['${A}-x', {A: !Ref B}]"
                                  << R"({"v": {"Fn::Sub": ["${A}-x", {"A": {"Ref": "B"}}]}})";
        QTest::newRow("Join") << "v: !Join ['', [a, !Ref B]]"
                              << R"({"v": {"Fn::Join": ["", ["a", {"Ref": "B"}]]}})";
        QTest::newRow("If") << "v: !If [IsProd, 10, !Ref 'AWS::NoValue']"
                            << R"({"v": {"Fn::If": ["IsProd", 10, {"Ref": "AWS::NoValue"}]}})";
        QTest::newRow("Select") << "v: !Select [0, !GetAZs '']"
                                << R"({"v": {"Fn::Select": [0, {"Fn::GetAZs": ""}]}})";
        QTest::newRow("Split") << "v: !Split [',', 'a,b']"
                               << R"({"v": {"Fn::Split": [",", "a,b"]}})";
        QTest::newRow("FindInMap")
            << "v: !FindInMap [M, !Ref 'AWS::Region', Size]"
            << R"({"v": {"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "Size"]}})";
        QTest::newRow("GetAZs empty") << "v: !GetAZs"
                                      << R"({"v": {"Fn::GetAZs": ""}})";
        QTest::newRow("ImportValue") << "v: !ImportValue shared-bus"
                                     << R"({"v": {"Fn::ImportValue": "shared-bus"}})";
        QTest::newRow("Base64") << "v: !Base64 hello"
                                << R"({"v": {"Fn::Base64": "hello"}})";
        QTest::newRow("Equals") << "v: !Equals [!Ref Env, prod]"
                                << R"({"v": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}})";
        QTest::newRow("Not") << "v: !Not [!Condition IsProd]"
                             << R"({"v": {"Fn::Not": [{"Condition": "IsProd"}]}})";
        QTest::newRow("And") << "v: !And [!Condition A, !Condition B]"
                             << R"({"v": {"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]}})";
        QTest::newRow("Or")
            << "v: !Or [!Condition A, !Equals [x, y]]"
            << R"({"v": {"Fn::Or": [{"Condition": "A"}, {"Fn::Equals": ["x", "y"]}]}})";
        QTest::newRow("Cidr") << "v: !Cidr [10.0.0.0/16, 4, 8]"
                              << R"({"v": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}})";
        QTest::newRow("block mapping under a tag")
            << "v: !Sub\n  - 'arn:${P}'\n  - P: !GetAtt Q.Arn\n"
            << R"({"v": {"Fn::Sub": ["arn:${P}", {"P": {"Fn::GetAtt": ["Q", "Arn"]}}]}})";
    }

    void everyShortFormBecomesItsLongForm()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, json);
        QCOMPARE(read(yaml.toStdString().c_str()).dump(), parse(json.toStdString().c_str()).dump());
    }

    void tagsNestDeeply()
    {
        const Json v = read("v: !If [C, !Join ['-', [!Ref A, !Select [1, !Split [':', !GetAtt "
                            "B.Arn]]]], !Sub '${X}']\n");
        QCOMPARE(v.dump(), parse(R"({"v": {"Fn::If": ["C", {"Fn::Join": ["-", [{"Ref": "A"},
                         {"Fn::Select": [1, {"Fn::Split": [":", {"Fn::GetAtt": ["B", "Arn"]}]}]}]]},
                         {"Fn::Sub": "${X}"}]}})")
                               .dump());
    }

    void plainScalarsAreTypedQuotedOnesStayStrings()
    {
        const Json v = read("a: 123\nb: '123'\nc: \"4.5\"\nd: 4.5\ne: true\nf: 'true'\ng: False\n"
                            "h: ~\ni: 2010-09-09\nj: 012345678901\nk: -7\nl: 1e3\nm: yes\n"
                            "n: |\n  12\no: 0x1F\n");
        QVERIFY(v["a"].is_number_integer());
        QCOMPARE(v["a"].get<int>(), 123);
        QCOMPARE(v["b"], Json("123"));
        QCOMPARE(v["c"], Json("4.5"));
        QVERIFY(v["d"].is_number_float());
        QCOMPARE(v["d"].get<double>(), 4.5);
        QCOMPARE(v["e"], Json(true));
        QCOMPARE(v["f"], Json("true"));
        QCOMPARE(v["g"], Json(false));
        QVERIFY(v["h"].is_null());
        QCOMPARE(v["i"], Json("2010-09-09"));   // a date is not a number
        QCOMPARE(v["j"], Json("012345678901")); // leading zeros would be lost
        QCOMPARE(v["k"].get<int>(), -7);
        QCOMPARE(v["l"].get<double>(), 1000.0);
        QCOMPARE(v["m"], Json("yes"));  // YAML 1.2: only true/false are booleans
        QCOMPARE(v["n"], Json("12\n")); // block scalars are never numbers
        QCOMPARE(v["o"].get<int>(), 31);
    }

    void keyOrderIsKept()
    {
        const Json v = read("zeta: 1\nalpha: 2\nmid: {y: 1, b: 2}\n");
        std::vector<std::string> keys;
        for (auto it = v.begin(); it != v.end(); ++it)
            keys.push_back(it.key());
        QCOMPARE(keys, (std::vector<std::string>{"zeta", "alpha", "mid"}));
        QCOMPARE(v["mid"].begin().key(), std::string("y"));
    }

    void jsonTemplatesAreReadAsJson()
    {
        const Json v = read(R"({"Resources": {"Q": {"Type": "AWS::SQS::Queue",
                             "Properties": {"DelaySeconds": "5", "VisibilityTimeout": 60}}}})");
        QCOMPARE(v["Resources"]["Q"]["Properties"]["DelaySeconds"], Json("5"));
        QCOMPARE(v["Resources"]["Q"]["Properties"]["VisibilityTimeout"].get<int>(), 60);
        QCOMPARE(v["Resources"].begin().key(), std::string("Q"));
    }

    void syntaxErrorsNameLineAndColumn()
    {
        Diagnostics diagnostics;
        const auto result = readYaml("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
                                     "    Properties: [unclosed\n",
                                     diagnostics);
        QVERIFY(!result);
        QCOMPARE(diagnostics.size(), std::size_t(1));
        QCOMPARE(diagnostics[0].severity, Severity::Error);
        QVERIFY2(QString::fromStdString(diagnostics[0].message).startsWith("line "),
                 diagnostics[0].message.c_str());

        diagnostics.clear();
        QVERIFY(!readYaml("a: 1\nb: 2\n  c: 3\n", diagnostics));
        QVERIFY2(diagnostics[0].message.find("line 3") != std::string::npos,
                 diagnostics[0].message.c_str());

        diagnostics.clear();
        QVERIFY(!readYaml("{\"Resources\": {\n  \"Q\": }\n}", diagnostics));
        QVERIFY2(diagnostics[0].message.rfind("line 2, column", 0) == 0,
                 diagnostics[0].message.c_str());
    }

    void unknownTagsAreErrorsWithTheirLine()
    {
        Diagnostics diagnostics;
        QVERIFY(!readYaml("a: 1\nb: !Reff X\n", diagnostics));
        QCOMPARE(diagnostics.size(), std::size_t(1));
        QVERIFY2(diagnostics[0].message.rfind("line 2, column 4: unknown tag !Reff", 0) == 0,
                 diagnostics[0].message.c_str());
    }

    void malformedGetAttIsAnError()
    {
        Diagnostics diagnostics;
        QVERIFY(!readYaml("a: !GetAtt NoDot\n", diagnostics));
        QVERIFY(diagnostics[0].message.find("line 1") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestYamlReader)
#include "TestYamlReader.moc"
