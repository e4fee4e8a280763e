#include "FilterPolicy.h"

#include <QtTest>
#include <algorithm>
#include <nlohmann/json.hpp>

using eventflow::model::Diagnostics;
using eventflow::model::FilterPolicy;
using eventflow::model::FilterPolicyScope;
using eventflow::model::Severity;
using Json = nlohmann::json;

namespace {

const char* const kBase = "/components/4/props/FilterPolicy";

// The example message of the SNS docs ("Example filter policies"), as flat attributes.
const char* const kTransactionAttributes = R"json({
  "customer_interests": ["soccer", "rugby", "hockey"],
  "store": "example_corp",
  "event": "order_placed",
  "price_usd": 210.75
})json";

void row(const char* name, const char* policy, const char* message, bool expected)
{
    QTest::newRow(name) << QByteArray(policy) << QByteArray(message) << expected;
}

void invalidRow(const char* name, const char* policy, FilterPolicyScope scope, const char* pointer,
                const char* message)
{
    QTest::newRow(name) << QByteArray(policy) << (scope == FilterPolicyScope::MessageBody)
                        << QByteArray(pointer) << QByteArray(message);
}

QByteArray describe(const Diagnostics& diagnostics)
{
    QByteArray text;
    for (const auto& d : diagnostics)
        text += QByteArray::fromStdString(d.pointer + ": " + d.message + "\n");
    return text;
}

std::optional<FilterPolicy> compile(const QByteArray& policy, FilterPolicyScope scope,
                                    Diagnostics& diagnostics)
{
    return FilterPolicy::parse(Json::parse(policy.constData()), scope, kBase, diagnostics);
}

} // namespace

class TestFilterPolicy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesMessageAttributes_data();
    void matchesMessageAttributes();
    void matchesMessageBody_data();
    void matchesMessageBody();
    void readsOnlyTheScopedPart();
    void rejectsInvalidPolicies_data();
    void rejectsInvalidPolicies();
    void acceptsPoliciesAtTheLimits_data();
    void acceptsPoliciesAtTheLimits();
    void countsCombinations_data();
    void countsCombinations();
};

void TestFilterPolicy::matchesMessageAttributes_data()
{
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QByteArray>("attributes");
    QTest::addColumn<bool>("expected");

    // String value matching.
    const char* exact = R"json({"customer_interests": ["rugby", "tennis"]})json";
    row("docs: exact rugby", exact, R"json({"customer_interests": "rugby"})json", true);
    row("docs: exact tennis", exact, R"json({"customer_interests": "tennis"})json", true);
    row("docs: exact baseball", exact, R"json({"customer_interests": "baseball"})json", false);
    row("docs: exact on String.Array", exact,
        R"json({"customer_interests": ["rugby", "tennis"]})json", true);
    row("docs: exact on String.Array without a match", exact,
        R"json({"customer_interests": ["baseball"]})json", false);
    const char* prefix = R"json({"customer_interests": [{"prefix": "bas"}]})json";
    row("docs: prefix bas, baseball", prefix, R"json({"customer_interests": "baseball"})json",
        true);
    row("docs: prefix bas, basketball", prefix, R"json({"customer_interests": "basketball"})json",
        true);
    row("docs: prefix bas, rugby", prefix, R"json({"customer_interests": "rugby"})json", false);
    const char* suffix = R"json({"customer_interests": [{"suffix": "ball"}]})json";
    row("docs: suffix ball, baseball", suffix, R"json({"customer_interests": "baseball"})json",
        true);
    row("docs: suffix ball, rugby", suffix, R"json({"customer_interests": "rugby"})json", false);
    const char* ignoreCase =
        R"json({"customer_interests": [{"equals-ignore-case": "tennis"}]})json";
    row("docs: equals-ignore-case tennis, TENNIS", ignoreCase,
        R"json({"customer_interests": "TENNIS"})json", true);
    row("docs: equals-ignore-case tennis, baseball", ignoreCase,
        R"json({"customer_interests": "baseball"})json", false);
    const char* anythingBut =
        R"json({"customer_interests": [{"anything-but": ["rugby", "tennis"]}]})json";
    row("docs: anything-but rugby/tennis, baseball", anythingBut,
        R"json({"customer_interests": "baseball"})json", true);
    row("docs: anything-but rugby/tennis, football", anythingBut,
        R"json({"customer_interests": "football"})json", true);
    row("docs: anything-but rugby/tennis, String.Array with baseball", anythingBut,
        R"json({"customer_interests": ["rugby", "baseball"]})json", true);
    row("docs: anything-but rugby/tennis, rugby", anythingBut,
        R"json({"customer_interests": "rugby"})json", false);
    row("anything-but alone does not match an absent attribute", anythingBut,
        R"json({"store": "example_corp"})json", false);
    row("docs: anything-but combined with exists false, attribute absent",
        R"json({"customer_interests": [{"anything-but": ["rugby"]}, {"exists": false}]})json",
        R"json({"store": "example_corp"})json", true);
    const char* notOrder = R"json({"event": [{"anything-but": {"prefix": "order-"}}]})json";
    row("docs: anything-but prefix order-, data-entry", notOrder,
        R"json({"event": "data-entry"})json", true);
    row("docs: anything-but prefix order-, order_number", notOrder,
        R"json({"event": "order_number"})json", true);
    row("docs: anything-but prefix order-, order-cancelled", notOrder,
        R"json({"event": "order-cancelled"})json", false);
    const char* cidr = R"json({"source_ip": [{"cidr": "10.0.0.0/24"}]})json";
    row("docs: cidr, 10.0.0.0", cidr, R"json({"source_ip": "10.0.0.0"})json", true);
    row("docs: cidr, 10.0.0.255", cidr, R"json({"source_ip": "10.0.0.255"})json", true);
    row("docs: cidr, 10.1.1.0", cidr, R"json({"source_ip": "10.1.1.0"})json", false);

    // Numeric value matching.
    const char* equals = R"json({"price_usd": [{"numeric": ["=", 301.5]}]})json";
    row("docs: numeric = 301.5, 301.5", equals, R"json({"price_usd": 301.5})json", true);
    row("docs: numeric = 301.5, 3.015e2", equals, R"json({"price_usd": 3.015e2})json", true);
    row("numeric = 301.5, a String attribute", equals, R"json({"price_usd": "301.5"})json", false);
    const char* notPrice = R"json({"price": [{"anything-but": [100, 500]}]})json";
    row("docs: anything-but 100/500, 101", notPrice, R"json({"price": 101})json", true);
    row("docs: anything-but 100/500, 100.1", notPrice, R"json({"price": 100.1})json", true);
    row("docs: anything-but 100/500, Number.Array [100, 50]", notPrice,
        R"json({"price": [100, 50]})json", true);
    row("docs: anything-but 100/500, 100", notPrice, R"json({"price": 100})json", false);
    row("docs: numeric < 0, negative", R"json({"price_usd": [{"numeric": ["<", 0]}]})json",
        R"json({"price_usd": -0.5})json", true);
    row("docs: numeric < 0, zero", R"json({"price_usd": [{"numeric": ["<", 0]}]})json",
        R"json({"price_usd": 0})json", false);
    const char* range = R"json({"price_usd": [{"numeric": [">", 0, "<=", 150]}]})json";
    row("docs: numeric > 0 <= 150, 150", range, R"json({"price_usd": 150})json", true);
    row("docs: numeric > 0 <= 150, 150.5", range, R"json({"price_usd": 150.5})json", false);

    // Key matching.
    row("docs: exists true, store present", R"json({"store": [{"exists": true}]})json",
        R"json({"store": "fans", "customer_interests": ["baseball", "basketball"]})json", true);
    row("docs: exists true, store absent", R"json({"store": [{"exists": true}]})json",
        R"json({"customer_interests": ["baseball", "basketball"]})json", false);
    row("docs: exists false, store present", R"json({"store": [{"exists": false}]})json",
        R"json({"store": "fans", "customer_interests": ["baseball", "basketball"]})json", false);
    row("docs: exists false, store absent", R"json({"store": [{"exists": false}]})json",
        R"json({"customer_interests": ["baseball", "basketball"]})json", true);
    row("docs: exists false needs at least one attribute",
        R"json({"store": [{"exists": false}]})json", R"json({})json", false);

    // AND / OR logic.
    const char* andPolicy =
        R"json({"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]})json";
    row("docs: AND, both hold", andPolicy,
        R"json({"customer_interests": "rugby", "price_usd": 101})json", true);
    row("docs: AND, price too low", andPolicy,
        R"json({"customer_interests": "rugby", "price_usd": 99})json", false);
    row("docs: OR over values",
        R"json({"customer_interests": ["rugby", "football", "baseball"]})json",
        R"json({"customer_interests": "football"})json", true);
    const char* orPolicy = R"json({"source": ["aws.cloudwatch"], "$or": [
        {"metricName": ["CPUUtilization", "ReadLatency"]},
        {"namespace": ["AWS/EC2", "AWS/ES"]}]})json";
    row("docs: $or, namespace branch", orPolicy,
        R"json({"source": "aws.cloudwatch", "namespace": "AWS/EC2"})json", true);
    row("docs: $or, no branch", orPolicy,
        R"json({"source": "aws.cloudwatch", "namespace": "AWS/Lambda"})json", false);

    // "Example filter policies" against the transaction message.
    row("docs: policy that accepts the transaction",
        R"json({"store": ["example_corp"], "event": [{"anything-but": "order_cancelled"}],
                "customer_interests": ["rugby", "football", "baseball"],
                "price_usd": [{"numeric": [">=", 100]}]})json",
        kTransactionAttributes, true);
    row("docs: policy that rejects the transaction",
        R"json({"store": ["example_corp"], "event": ["order_cancelled"], "encrypted": [false],
                "customer_interests": ["basketball", "baseball"]})json",
        kTransactionAttributes, false);
    row("attribute names with dots are plain names", R"json({"a.b": ["x"]})json",
        R"json({"a.b": "x"})json", true);
}

void TestFilterPolicy::matchesMessageAttributes()
{
    QFETCH(QByteArray, policy);
    QFETCH(QByteArray, attributes);
    QFETCH(bool, expected);

    Diagnostics diagnostics;
    const auto compiled = compile(policy, FilterPolicyScope::MessageAttributes, diagnostics);
    QVERIFY2(compiled.has_value(), describe(diagnostics).constData());
    QCOMPARE(compiled->matches(Json::parse(attributes.constData()), Json::object()), expected);
}

void TestFilterPolicy::matchesMessageBody_data()
{
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("expected");

    const char* nested = R"json({"store": ["example_corp"], "order": {"status": ["placed"],
        "total": [{"numeric": [">=", 100]}]}})json";
    row("nested property matches", nested,
        R"json({"store": "example_corp", "order": {"status": "placed", "total": 210.75}})json",
        true);
    row("nested property misses", nested,
        R"json({"store": "example_corp", "order": {"status": "cancelled", "total": 210.75}})json",
        false);
    row("nested parent missing", nested, R"json({"store": "example_corp"})json", false);
    row("docs: body exact rugby", R"json({"customer_interests": ["rugby", "tennis"]})json",
        R"json({"customer_interests": "rugby"})json", true);
    row("docs: body anything-but [100, 500], [100, 50]",
        R"json({"price": [{"anything-but": [100, 500]}]})json", R"json({"price": [100, 50]})json",
        true);
    row("docs: body exists true, store present", R"json({"store": [{"exists": true}]})json",
        R"json({"store": "fans", "customer_interests": ["baseball", "basketball"]})json", true);
    row("docs: body exists false, store absent", R"json({"store": [{"exists": false}]})json",
        R"json({"customer_interests": ["baseball", "basketball"]})json", true);
    row("docs: exists true needs a non-null value", R"json({"store": [{"exists": true}]})json",
        R"json({"store": null})json", false);
    row("docs: exists true needs a non-empty value", R"json({"store": [{"exists": true}]})json",
        R"json({"store": ""})json", false);
    row("exists false holds for a null value", R"json({"store": [{"exists": false}]})json",
        R"json({"store": null})json", true);
    row("$or across nested properties",
        R"json({"$or": [{"order": {"status": ["placed"]}}, {"priority": ["high"]}]})json",
        R"json({"order": {"status": "shipped"}, "priority": "high"})json", true);
    row("objects in an array: fields from one element",
        R"json({"items": {"sku": ["A1"], "qty": [{"numeric": [">", 5]}]}})json",
        R"json({"items": [{"sku": "A1", "qty": 1}, {"sku": "B2", "qty": 9}]})json", false);
}

void TestFilterPolicy::matchesMessageBody()
{
    QFETCH(QByteArray, policy);
    QFETCH(QByteArray, body);
    QFETCH(bool, expected);

    Diagnostics diagnostics;
    const auto compiled = compile(policy, FilterPolicyScope::MessageBody, diagnostics);
    QVERIFY2(compiled.has_value(), describe(diagnostics).constData());
    QCOMPARE(compiled->matches(Json::object(), Json::parse(body.constData())), expected);
}

void TestFilterPolicy::readsOnlyTheScopedPart()
{
    const QByteArray policy = R"json({"store": ["example_corp"]})json";
    const Json message = Json::parse(R"json({"store": "example_corp"})json");
    Diagnostics diagnostics;

    const auto attributes = compile(policy, FilterPolicyScope::MessageAttributes, diagnostics);
    QVERIFY(attributes.has_value());
    QCOMPARE(attributes->scope(), FilterPolicyScope::MessageAttributes);
    QVERIFY(attributes->matches(message, Json::object()));
    QVERIFY(!attributes->matches(Json::object(), message));

    const auto body = compile(policy, FilterPolicyScope::MessageBody, diagnostics);
    QVERIFY(body.has_value());
    QVERIFY(body->matches(Json::object(), message));
    QVERIFY(!body->matches(message, Json::object()));
    QVERIFY(!body->matches(message, Json("not a JSON object")));
    QVERIFY(diagnostics.empty());
}

void TestFilterPolicy::rejectsInvalidPolicies_data()
{
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<bool>("bodyScope");
    QTest::addColumn<QByteArray>("pointer");
    QTest::addColumn<QByteArray>("message");

    const auto attributes = FilterPolicyScope::MessageAttributes;
    const auto body = FilterPolicyScope::MessageBody;
    invalidRow("policy is not an object", R"json(["rugby"])json", attributes, "",
               "a filter policy must be a JSON object");
    invalidRow("nested policy on message attributes",
               R"json({"store": ["a"], "order": {"status": ["placed"]}})json", attributes, "/order",
               "does not support nested filter policies");
    invalidRow("nested object inside $or on message attributes",
               R"json({"$or": [{"a": ["x"]}, {"b": {"c": ["y"]}}]})json", attributes, "/$or/1/b",
               "does not support nested filter policies");
    invalidRow("six attribute keys",
               R"json({"a": [1], "b": [1], "c": [1], "d": [1], "e": [1], "f": [1]})json",
               attributes, "", "at most 5 attribute keys; this one has 6");
    invalidRow("keys inside $or count too",
               R"json({"a": [1], "b": [1], "c": [1], "d": [1],
                       "$or": [{"e": [1]}, {"f": [1]}]})json",
               attributes, "", "at most 5 attribute keys; this one has 6");
    invalidRow(
        "151 combinations or more",
        R"json({"a": [1, 2, 3, 4, 5, 6], "b": [1, 2, 3, 4, 5], "c": [1, 2, 3, 4, 5, 6]})json",
        attributes, "", "180 combinations and SNS allows at most 150");
    invalidRow(
        "nesting depth multiplies combinations",
        R"json({"a": {"b": {"c": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}}, "d": {"e": [1, 2, 3]}})json",
        body, "", "180 combinations");
    invalidRow("wildcard is EventBridge only", R"json({"key": [{"wildcard": "a*"}]})json",
               attributes, "/key/0/wildcard", "do not support the wildcard operator");
    invalidRow("anything-but suffix is EventBridge only",
               R"json({"key": [{"anything-but": {"suffix": ".png"}}]})json", attributes,
               "/key/0/anything-but/suffix", "anything-but does not support \"suffix\"");
    invalidRow("prefix equals-ignore-case is EventBridge only",
               R"json({"key": [{"prefix": {"equals-ignore-case": "a"}}]})json", body,
               "/key/0/prefix", "prefix expects a string in an SNS filter policy");
    invalidRow("leaf is not an array", R"json({"store": "example_corp"})json", attributes, "/store",
               "a pattern leaf must be an array");
    invalidRow("empty value list", R"json({"store": []})json", body, "/store",
               "empty arrays are not allowed");
    invalidRow("numeric range in the wrong order",
               R"json({"price_usd": [{"numeric": ["<=", 150, ">", 0]}]})json", attributes,
               "/price_usd/0/numeric", "lower bound (> or >=) followed by an upper bound");
    invalidRow("exists with a string", R"json({"store": [{"exists": "yes"}]})json", body,
               "/store/0/exists", "exists expects true or false");
    invalidRow("cidr without a prefix length", R"json({"source_ip": [{"cidr": "10.0.0.1"}]})json",
               attributes, "/source_ip/0/cidr", "exactly one '/' is required");
    invalidRow("$or with one branch", R"json({"$or": [{"a": ["x"]}]})json", attributes, "/$or",
               "$or must be an array of at least two objects");
}

void TestFilterPolicy::rejectsInvalidPolicies()
{
    QFETCH(QByteArray, policy);
    QFETCH(bool, bodyScope);
    QFETCH(QByteArray, pointer);
    QFETCH(QByteArray, message);

    Diagnostics diagnostics;
    const auto scope =
        bodyScope ? FilterPolicyScope::MessageBody : FilterPolicyScope::MessageAttributes;
    QVERIFY(!compile(policy, scope, diagnostics).has_value());
    const std::string expectedPointer = std::string(kBase) + pointer.toStdString();
    const bool found = std::any_of(diagnostics.begin(), diagnostics.end(), [&](const auto& d) {
        return d.severity == Severity::Error && d.pointer == expectedPointer &&
               d.message.find(message.toStdString()) != std::string::npos;
    });
    QVERIFY2(found, describe(diagnostics).constData());
}

void TestFilterPolicy::acceptsPoliciesAtTheLimits_data()
{
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<bool>("bodyScope");

    QTest::newRow("five attribute keys")
        << QByteArray(R"json({"a": [1], "b": [1], "c": [1], "d": [1], "e": [1]})json") << false;
    QTest::newRow("150 combinations")
        << QByteArray(R"json({"a": [1, 2, 3, 4, 5, 6], "b": [1, 2, 3, 4, 5],
                              "c": [1, 2, 3, 4, 5]})json")
        << false;
    QTest::newRow("docs: nested body policy of 72 combinations")
        << QByteArray(R"json({"key_a": {"key_b": {"key_c": ["value_one", "value_two",
                              "value_three", "value_four"]}},
                              "key_d": {"key_e": ["value_one", "value_two", "value_three"]}})json")
        << true;
    QTest::newRow("six leaf keys in a nested body policy")
        << QByteArray(R"json({"state": ["SUCCESS"], "severity": [{"exists": true}],
                              "message": [{"exists": true}],
                              "finding": {"standard_control": [{"exists": true}],
                                          "region": [{"exists": true}],
                                          "account": [{"exists": true}]}})json")
        << true;
}

void TestFilterPolicy::acceptsPoliciesAtTheLimits()
{
    QFETCH(QByteArray, policy);
    QFETCH(bool, bodyScope);

    Diagnostics diagnostics;
    const auto scope =
        bodyScope ? FilterPolicyScope::MessageBody : FilterPolicyScope::MessageAttributes;
    QVERIFY2(compile(policy, scope, diagnostics).has_value(), describe(diagnostics).constData());
    QVERIFY(diagnostics.empty());
}

void TestFilterPolicy::countsCombinations_data()
{
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<qint64>("expected");

    QTest::newRow("docs: 3 x 1 x 2")
        << QByteArray(R"json({"key_a": ["value_one", "value_two", "value_three"],
                              "key_b": ["value_one"], "key_c": ["value_one", "value_two"]})json")
        << qint64(6);
    QTest::newRow("docs: nested, 3 x 4 x 2 x 3")
        << QByteArray(R"json({"key_a": {"key_b": {"key_c": ["value_one", "value_two",
                              "value_three", "value_four"]}},
                              "key_d": {"key_e": ["value_one", "value_two", "value_three"]}})json")
        << qint64(72);
    QTest::newRow("$or adds its branches")
        << QByteArray(R"json({"source": ["a", "b"], "$or": [{"x": [1, 2, 3]}, {"y": [1]}]})json")
        << qint64(8);
    QTest::newRow("not an object") << QByteArray(R"json("text")json") << qint64(0);
}

void TestFilterPolicy::countsCombinations()
{
    QFETCH(QByteArray, policy);
    QFETCH(qint64, expected);

    QCOMPARE(static_cast<qint64>(FilterPolicy::combinations(Json::parse(policy.constData()))),
             expected);
}

QTEST_APPLESS_MAIN(TestFilterPolicy)

#include "TestFilterPolicy.moc"
