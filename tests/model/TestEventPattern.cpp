#include "EventPattern.h"

#include <QtTest>
#include <algorithm>
#include <nlohmann/json.hpp>

using eventflow::model::Diagnostics;
using eventflow::model::EventPattern;
using eventflow::model::Severity;
using Json = nlohmann::json;

namespace {

const char* const kBase = "/components/2/props/EventPattern";

// The sample event of the EventBridge docs and of event-ruler's README.
const char* const kEc2Event = R"json({
  "version": "0",
  "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "012345679012",
  "time": "2017-10-02T16:24:49Z",
  "region": "us-east-1",
  "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
  "detail": {
    "c-count": 5,
    "d-count": 3,
    "x-limit": 301.8,
    "source-ip": "10.0.0.33",
    "instance-id": "i-000000aaaaaa00000",
    "state": "running"
  }
})json";

// The event of the docs' "null values and empty strings" page.
const char* const kAutoScalingEvent = R"json({
  "version": "0",
  "id": "3e3c153a-8339-4e30-8c35-687ebef853fe",
  "detail-type": "EC2 Instance Launch Successful",
  "source": "aws.autoscaling",
  "account": "123456789012",
  "time": "2015-11-11T21:31:47Z",
  "region": "us-east-1",
  "resources": [],
  "detail": {"eventVersion": "", "responseElements": null}
})json";

// event-ruler's array-consistency example.
const char* const kEmployeesEvent = R"json({
  "employees": [
    {"firstName": "John", "lastName": "Doe"},
    {"firstName": "Anna", "lastName": "Smith"},
    {"firstName": "Peter", "lastName": "Jones"}
  ]
})json";

void matchRow(const char* name, const char* pattern, const char* event, bool expected)
{
    QTest::newRow(name) << QByteArray(pattern) << QByteArray(event) << expected;
}

void invalidRow(const char* name, const char* pattern, const char* pointer, const char* message)
{
    QTest::newRow(name) << QByteArray(pattern) << QByteArray(pointer) << QByteArray(message);
}

QByteArray describe(const Diagnostics& diagnostics)
{
    QByteArray text;
    for (const auto& d : diagnostics)
        text += QByteArray::fromStdString(d.pointer + ": " + d.message + "\n");
    return text;
}

} // namespace

class TestEventPattern : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matches_data();
    void matches();
    void rejectsInvalidPatterns_data();
    void rejectsInvalidPatterns();
    void acceptsValidPatterns_data();
    void acceptsValidPatterns();
    void reportsEveryProblemAndKeepsEarlierDiagnostics();
    void listsFieldPaths();
    void neverMatchesNonObjectEvents();
    void copiesShareOneCompiledTree();
};

void TestEventPattern::matches_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<bool>("expected");

    // eb-event-patterns: fields AND, a leaf's values OR, nesting as in the event.
    const char* termination = R"json({"source": ["aws.ec2"],
        "detail-type": ["EC2 Instance State-change Notification"],
        "detail": {"state": ["terminated"]}})json";
    matchRow("docs: EC2 termination pattern, terminated", termination,
             R"json({"source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification",
                     "detail": {"instance-id": "i-1234567890abcdef0", "state": "terminated"}})json",
             true);
    matchRow("docs: EC2 termination pattern, running", termination, kEc2Event, false);
    matchRow("docs: source is aws.ec2 or aws.fargate, fargate",
             R"json({"source": ["aws.ec2", "aws.fargate"]})json",
             R"json({"source": "aws.fargate"})json", true);
    matchRow("docs: source is aws.ec2 or aws.fargate, lambda",
             R"json({"source": ["aws.ec2", "aws.fargate"]})json",
             R"json({"source": "aws.lambda"})json", false);
    const char* macie = R"json({"source": ["aws.macie"], "detail-type": ["Macie Alert"],
        "detail": {"risk-score": [80], "trigger": {"risk": [8]}}})json";
    matchRow("docs: Macie risk-score 80 and trigger.risk 8", macie,
             R"json({"source": "aws.macie", "detail-type": "Macie Alert",
                     "detail": {"risk-score": 80,
                                "trigger": {"risk": 8, "alert-type": "basic"}}})json",
             true);
    matchRow("docs: Macie trigger.risk 7 is not 8", macie,
             R"json({"source": "aws.macie", "detail-type": "Macie Alert",
                     "detail": {"risk-score": 80, "trigger": {"risk": 7}}})json",
             false);
    matchRow("docs: Location and Day both match",
             R"json({"Location": ["New York"], "Day": ["Monday"]})json",
             R"json({"Location": "New York", "Day": "Monday"})json", true);
    matchRow("docs: Location and Day, one misses",
             R"json({"Location": ["New York"], "Day": ["Monday"]})json",
             R"json({"Location": "New York", "Day": "Tuesday"})json", false);
    matchRow("ruler: simple match with resources array and state list",
             R"json({"detail-type": ["EC2 Instance State-change Notification"],
                     "resources": [
                       "arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
                     "detail": {"state": ["initializing", "running"]}})json",
             kEc2Event, true);
    matchRow("strings match case-sensitively", R"json({"source": ["aws.ec2"]})json",
             R"json({"source": "AWS.EC2"})json", false);

    // Null and empty values (eb-event-patterns-null-values).
    matchRow("docs: empty string matches empty string",
             R"json({"detail": {"eventVersion": [""]}})json", kAutoScalingEvent, true);
    matchRow("docs: null matches null", R"json({"detail": {"responseElements": [null]}})json",
             kAutoScalingEvent, true);
    matchRow("docs: null pattern does not match an empty string",
             R"json({"detail": {"eventVersion": [null]}})json", kAutoScalingEvent, false);
    matchRow("docs: empty-string pattern does not match null",
             R"json({"detail": {"responseElements": [""]}})json", kAutoScalingEvent, false);

    // Value types.
    matchRow("number matches the same number written differently", R"json({"n": [300]})json",
             R"json({"n": 3.0e2})json", true);
    matchRow("number pattern 3.018e2 matches 301.8", R"json({"n": [3.018e2]})json",
             R"json({"n": 301.8})json", true);
    matchRow("number pattern does not match a numeric string", R"json({"n": [5]})json",
             R"json({"n": "5"})json", false);
    matchRow("string pattern does not match a number", R"json({"n": ["5"]})json",
             R"json({"n": 5})json", false);
    matchRow("true matches true", R"json({"b": [true]})json", R"json({"b": true})json", true);
    matchRow("true does not match the string true", R"json({"b": [true]})json",
             R"json({"b": "true"})json", false);
    matchRow("large account numbers compare exactly", R"json({"account": [123456789012]})json",
             R"json({"account": 123456789013})json", false);

    // Arrays (eb-event-patterns-arrays) and missing fields.
    const char* resources = R"json({"resources": [
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"]})json";
    matchRow("docs: event array intersects the pattern array", resources,
             R"json({"resources": ["arn:aws:autoscaling:us-east-1:123456789012:)json"
             R"json(autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:)json"
             R"json(autoScalingGroupName/ASGTerminate",
                     "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]})json",
             true);
    matchRow("docs: event array without a common value", resources,
             R"json({"resources": ["arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f"]})json",
             false);
    matchRow("nested arrays in the event are flattened", R"json({"n": [3]})json",
             R"json({"n": [[1, 2], [3]]})json", true);
    matchRow("empty event array matches nothing", R"json({"n": [3]})json", R"json({"n": []})json",
             false);
    matchRow("missing field never matches a value", R"json({"detail": {"state": ["running"]}})json",
             R"json({"source": "aws.ec2"})json", false);
    matchRow("an object is not a leaf value", R"json({"detail": ["running"]})json", kEc2Event,
             false);

    // Prefix and suffix.
    matchRow("docs: time prefix 2017-10-02", R"json({"time": [{"prefix": "2017-10-02"}]})json",
             kEc2Event, true);
    matchRow("docs: time prefix on another day", R"json({"time": [{"prefix": "2017-10-03"}]})json",
             kEc2Event, false);
    matchRow("prefix only applies to strings", R"json({"n": [{"prefix": "12"}]})json",
             R"json({"n": 123})json", false);
    matchRow("docs: prefix equals-ignore-case eventb, EventBridge",
             R"json({"service": [{"prefix": {"equals-ignore-case": "eventb"}}]})json",
             R"json({"service": "EventBridge"})json", true);
    matchRow("docs: prefix equals-ignore-case eventb, EVENTBRIDGE",
             R"json({"service": [{"prefix": {"equals-ignore-case": "eventb"}}]})json",
             R"json({"service": "EVENTBRIDGE"})json", true);
    matchRow("prefix equals-ignore-case eventb, Amazon EventBridge",
             R"json({"service": [{"prefix": {"equals-ignore-case": "eventb"}}]})json",
             R"json({"service": "Amazon EventBridge"})json", false);
    matchRow("docs: suffix .png", R"json({"FileName": [{"suffix": ".png"}]})json",
             R"json({"FileName": "image.png"})json", true);
    matchRow("suffix is case-sensitive", R"json({"FileName": [{"suffix": ".png"}]})json",
             R"json({"FileName": "image.PNG"})json", false);
    matchRow("ruler: suffix ec2", R"json({"source": [{"suffix": "ec2"}]})json", kEc2Event, true);
    matchRow("docs: suffix equals-ignore-case .png, image.PNG",
             R"json({"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]})json",
             R"json({"FileName": "image.PNG"})json", true);
    matchRow("suffix equals-ignore-case .png, image.jpg",
             R"json({"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]})json",
             R"json({"FileName": "image.jpg"})json", false);

    // Equals-ignore-case.
    matchRow("equals-ignore-case compares the whole value",
             R"json({"source": [{"equals-ignore-case": "EC2"}]})json", kEc2Event, false);
    matchRow("docs: equals-ignore-case alice, ALICE",
             R"json({"name": [{"equals-ignore-case": "alice"}]})json",
             R"json({"name": "ALICE"})json", true);
    matchRow("equals-ignore-case alice, Alicia",
             R"json({"name": [{"equals-ignore-case": "alice"}]})json",
             R"json({"name": "Alicia"})json", false);
    matchRow("equals-ignore-case folds accented letters",
             R"json({"city": [{"equals-ignore-case": "ÉTÉ Zürich"}]})json",
             R"json({"city": "été zÜrich"})json", true);

    // Anything-but (content filtering page).
    matchRow("docs: anything-but initializing, running",
             R"json({"detail": {"state": [{"anything-but": "initializing"}]}})json", kEc2Event,
             true);
    matchRow("docs: anything-but initializing, initializing",
             R"json({"detail": {"state": [{"anything-but": "initializing"}]}})json",
             R"json({"detail": {"state": "initializing"}})json", false);
    matchRow("anything-but does not match a missing field",
             R"json({"detail": {"state": [{"anything-but": "initializing"}]}})json",
             R"json({"detail": {"instance-id": "i-1"}})json", false);
    matchRow("docs: anything-but 123, 301.8",
             R"json({"detail": {"x-limit": [{"anything-but": 123}]}})json", kEc2Event, true);
    matchRow("anything-but 123 excludes 123.0",
             R"json({"detail": {"x-limit": [{"anything-but": 123}]}})json",
             R"json({"detail": {"x-limit": 123.0}})json", false);
    matchRow("docs: anything-but [stopped, overloaded], running",
             R"json({"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}})json",
             kEc2Event, true);
    matchRow("docs: anything-but [stopped, overloaded], stopped",
             R"json({"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}})json",
             R"json({"detail": {"state": "stopped"}})json", false);
    matchRow("docs: anything-but [100, 200, 300], 301.8",
             R"json({"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}})json", kEc2Event,
             true);
    matchRow("docs: anything-but [100, 200, 300], 200",
             R"json({"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}})json",
             R"json({"detail": {"x-limit": 200}})json", false);
    matchRow("docs: anything-but prefix init, running",
             R"json({"detail": {"state": [{"anything-but": {"prefix": "init"}}]}})json", kEc2Event,
             true);
    matchRow("docs: anything-but prefix init, initializing",
             R"json({"detail": {"state": [{"anything-but": {"prefix": "init"}}]}})json",
             R"json({"detail": {"state": "initializing"}})json", false);
    matchRow("docs: anything-but prefix us-, eu-west-1",
             R"json({"Region": [{"anything-but": {"prefix": "us-"}}]})json",
             R"json({"Region": "eu-west-1"})json", true);
    matchRow("docs: anything-but suffix .png, image.txt",
             R"json({"FileName": [{"anything-but": {"suffix": ".png"}}]})json",
             R"json({"FileName": "image.txt"})json", true);
    matchRow("docs: anything-but suffix .png, image.png",
             R"json({"FileName": [{"anything-but": {"suffix": ".png"}}]})json",
             R"json({"FileName": "image.png"})json", false);
    matchRow("docs: anything-but equals-ignore-case initializing, INITIALIZING",
             R"json({"state": [{"anything-but": {"equals-ignore-case": "initializing"}}]})json",
             R"json({"state": "INITIALIZING"})json", false);
    const char* notStates = R"json({"state": [
        {"anything-but": {"equals-ignore-case": ["initializing", "stopped"]}}]})json";
    matchRow("docs: anything-but equals-ignore-case list, Stopped", notStates,
             R"json({"state": "Stopped"})json", false);
    matchRow("anything-but equals-ignore-case list, running", notStates,
             R"json({"state": "running"})json", true);
    matchRow("docs: anything-but wildcard */lib/*, /usr/lib/libc.so",
             R"json({"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]})json",
             R"json({"FilePath": "/usr/lib/libc.so"})json", false);
    matchRow("docs: anything-but wildcard */lib/*, /usr/bin/ls",
             R"json({"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]})json",
             R"json({"FilePath": "/usr/bin/ls"})json", true);
    matchRow("anything-but on an array: one value outside the list is enough",
             R"json({"interests": [{"anything-but": ["rugby", "tennis"]}]})json",
             R"json({"interests": ["rugby", "baseball"]})json", true);
    matchRow("anything-but on an array: every value excluded",
             R"json({"interests": [{"anything-but": ["rugby", "tennis"]}]})json",
             R"json({"interests": ["rugby", "tennis"]})json", false);
    matchRow("anything-but a string matches a number",
             R"json({"code": [{"anything-but": "200"}]})json", R"json({"code": 200})json", true);

    // Numeric.
    const char* numeric = R"json({"detail": {
        "c-count": [{"numeric": [">", 0, "<=", 5]}],
        "d-count": [{"numeric": ["<", 10]}],
        "x-limit": [{"numeric": ["=", 3.018e2]}]}})json";
    matchRow("docs: numeric c-count, d-count, x-limit", numeric, kEc2Event, true);
    matchRow("docs: numeric c-count 6 is above 5", numeric,
             R"json({"detail": {"c-count": 6, "d-count": 3, "x-limit": 301.8}})json", false);
    matchRow("numeric > 0 excludes 0", R"json({"n": [{"numeric": [">", 0, "<=", 5]}]})json",
             R"json({"n": 0})json", false);
    matchRow("numeric range lower bound inclusive",
             R"json({"n": [{"numeric": [">=", 10, "<", 20]}]})json", R"json({"n": 10})json", true);
    matchRow("numeric range upper bound exclusive",
             R"json({"n": [{"numeric": [">=", 10, "<", 20]}]})json", R"json({"n": 20})json", false);
    matchRow("numeric = compares values: 301.8 vs 301.80",
             R"json({"n": [{"numeric": ["=", 301.8]}]})json", R"json({"n": 301.80})json", true);
    matchRow("numeric never matches a numeric string", R"json({"n": [{"numeric": [">", 0]}]})json",
             R"json({"n": "5"})json", false);
    matchRow("numeric ignores values beyond 5e9", R"json({"n": [{"numeric": [">", 0]}]})json",
             R"json({"n": 6e9})json", false);
    matchRow("numeric on an event array, one value in range",
             R"json({"n": [{"numeric": [">", 40]}]})json", R"json({"n": [1, 50]})json", true);
    matchRow("docs: complex example, anything-but and numeric",
             R"json({"time": [{"prefix": "2017-10-02"}],
                     "detail": {"state": [{"anything-but": "initializing"}],
                                "c-count": [{"numeric": [">", 0, "<=", 5]}],
                                "d-count": [{"numeric": ["<", 10]}],
                                "x-limit": [{"anything-but": [100, 200, 300]}],
                                "source-ip": [{"cidr": "10.0.0.0/8"}]}})json",
             kEc2Event, true);

    // IP addresses.
    matchRow("docs: cidr 10.0.0.0/24, 10.0.0.255",
             R"json({"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}})json",
             R"json({"detail": {"sourceIPAddress": "10.0.0.255"}})json", true);
    matchRow("docs: cidr 10.0.0.0/24, 10.0.1.0",
             R"json({"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}})json",
             R"json({"detail": {"sourceIPAddress": "10.0.1.0"}})json", false);
    matchRow("cidr on a value that is not an address",
             R"json({"ip": [{"cidr": "10.0.0.0/24"}]})json", R"json({"ip": "localhost"})json",
             false);
    matchRow("cidr IPv6 2001:db8::/32, inside", R"json({"ip": [{"cidr": "2001:db8::/32"}]})json",
             R"json({"ip": "2001:db8:1::1"})json", true);
    matchRow("cidr IPv6 2001:db8::/32, outside", R"json({"ip": [{"cidr": "2001:db8::/32"}]})json",
             R"json({"ip": "2001:db9::1"})json", false);
    matchRow("cidr IPv4 never matches an IPv6 address",
             R"json({"ip": [{"cidr": "0.0.0.0/0"}]})json", R"json({"ip": "::1"})json", false);
    matchRow("an IP value matches another spelling of the address", R"json({"ip": ["::1"]})json",
             R"json({"ip": "0:0:0:0:0:0:0:1"})json", true);

    // Exists.
    matchRow("docs: exists true, state present",
             R"json({"detail": {"state": [{"exists": true}]}})json", kEc2Event, true);
    matchRow("docs: exists true, state absent",
             R"json({"detail": {"state": [{"exists": true}]}})json",
             R"json({"detail": {"c-count": {"c1": 100}}})json", false);
    matchRow("docs: exists false, c-count absent",
             R"json({"detail": {"c-count": [{"exists": false}]}})json",
             R"json({"detail": {"state": "running"}})json", true);
    matchRow("docs: exists false, c-count present",
             R"json({"detail": {"c-count": [{"exists": false}]}})json", kEc2Event, false);
    matchRow("ruler: exists false, c-count is an object (not a leaf)",
             R"json({"detail": {"c-count": [{"exists": false}]}})json",
             R"json({"detail": {"state": "running", "c-count": {"c1": 100}}})json", true);
    matchRow("exists false when the parent object is missing",
             R"json({"detail": {"c-count": [{"exists": false}]}})json",
             R"json({"source": "aws.ec2"})json", true);
    matchRow("exists true counts null as present",
             R"json({"detail": {"responseElements": [{"exists": true}]}})json", kAutoScalingEvent,
             true);
    matchRow("exists false or a value", R"json({"env": [{"exists": false}, "prod"]})json",
             R"json({"env": "prod"})json", true);

    // Wildcard.
    const char* busArn =
        R"json({"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]})json";
    matchRow(
        "docs: wildcard event bus ARN in us-east-1", busArn,
        R"json({"EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"})json",
        true);
    matchRow(
        "docs: wildcard event bus ARN in us-west-2", busArn,
        R"json({"EventBusArn": "arn:aws:events:us-west-2:123456789012:event-bus/default"})json",
        false);
    matchRow("ruler: wildcard Simple*Service",
             R"json({"source": [{"wildcard": "Simple*Service"}]})json",
             R"json({"source": "SimpleNotificationService"})json", true);
    matchRow("wildcard dir/*.png spans directories",
             R"json({"key": [{"wildcard": "dir/*.png"}]})json", R"json({"key": "dir/a/b.png"})json",
             true);
    matchRow("wildcard dir/*.png, a jpg", R"json({"key": [{"wildcard": "dir/*.png"}]})json",
             R"json({"key": "dir/a.jpg"})json", false);
    matchRow("wildcard escaped star is literal, dir/*.png",
             R"json({"key": [{"wildcard": "dir/\\*.png"}]})json", R"json({"key": "dir/*.png"})json",
             true);
    matchRow("wildcard escaped star is literal, dir/a.png",
             R"json({"key": [{"wildcard": "dir/\\*.png"}]})json", R"json({"key": "dir/a.png"})json",
             false);
    matchRow("wildcard star matches the empty string",
             R"json({"key": [{"wildcard": "a*b*c"}]})json", R"json({"key": "abc"})json", true);
    matchRow("wildcard with several stars keeps their order, a-b-a",
             R"json({"key": [{"wildcard": "*a*b*"}]})json", R"json({"key": "a-b-a"})json", true);
    matchRow("wildcard with several stars keeps their order, b-a",
             R"json({"key": [{"wildcard": "*a*b*"}]})json", R"json({"key": "b-a"})json", false);
    matchRow("wildcard pieces must not overlap", R"json({"key": [{"wildcard": "ab*ba"}]})json",
             R"json({"key": "aba"})json", false);

    // $or.
    matchRow("docs: $or Location or Day, Day matches",
             R"json({"$or": [{"Location": ["New York"]}, {"Day": ["Monday"]}]})json",
             R"json({"Location": "Boston", "Day": "Monday"})json", true);
    matchRow("docs: $or Location or Day, neither",
             R"json({"$or": [{"Location": ["New York"]}, {"Day": ["Monday"]}]})json",
             R"json({"Location": "Boston", "Day": "Friday"})json", false);
    const char* normalOr = R"json({"source": ["aws.cloudwatch"], "$or": [
        {"metricName": ["CPUUtilization", "ReadLatency"]},
        {"namespace": ["AWS/EC2", "AWS/ES"]}]})json";
    matchRow("ruler: source and (metricName or namespace), namespace", normalOr,
             R"json({"source": "aws.cloudwatch", "namespace": "AWS/ES"})json", true);
    matchRow("ruler: source and (metricName or namespace), wrong source", normalOr,
             R"json({"source": "aws.ec2", "metricName": "CPUUtilization"})json", false);
    matchRow("$or inside detail, second branch",
             R"json({"detail": {"$or": [{"a": [1]}, {"b": [2]}]}})json",
             R"json({"detail": {"a": 5, "b": 2}})json", true);
    matchRow("$or inside detail, no branch",
             R"json({"detail": {"$or": [{"a": [1]}, {"b": [2]}]}})json",
             R"json({"detail": {"a": 2, "b": 1}})json", false);
    const char* nestedOr = R"json({"source": ["aws.cloudwatch"], "$or": [
        {"metricName": ["CPUUtilization", "ReadLatency"]},
        {"metricType": ["MetricType"], "namespace": ["AWS/EC2", "AWS/ES"],
         "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]},
        {"scope": ["Service"]}]})json";
    matchRow("ruler: nested $or and AND, inner branch", nestedOr,
             R"json({"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2",
                     "spaceId": 1000})json",
             true);
    matchRow("ruler: nested $or and AND, inner $or unmet", nestedOr,
             R"json({"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2",
                     "spaceId": 1001})json",
             false);

    // Objects inside arrays: fields must come from one element (event-ruler array consistency).
    matchRow("ruler: employees firstName Anna", R"json({"employees": {"firstName": ["Anna"]}})json",
             kEmployeesEvent, true);
    matchRow("ruler: Anna and Jones are in different elements",
             R"json({"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}})json",
             kEmployeesEvent, false);
    matchRow("Anna and Smith are in the same element",
             R"json({"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}})json",
             kEmployeesEvent, true);
    matchRow("ruler: multi-level arrays", R"json({"employees": {"firstName": ["Peter"]}})json",
             R"json({"employees": [[{"firstName": "John"}, {"firstName": "Anna"}],
                                   [{"firstName": "Peter"}]]})json",
             true);
    matchRow("exists false under an array: no element may have the field",
             R"json({"employees": {"middleName": [{"exists": false}]}})json",
             R"json({"employees": [{"firstName": "Anna"}, {"middleName": "Maria"}]})json", false);
    matchRow("exists false next to a value: checked in the matching element",
             R"json({"employees": {"firstName": ["Anna"], "middleName": [{"exists": false}]}})json",
             R"json({"employees": [{"firstName": "Anna"}, {"middleName": "Maria"}]})json", true);
}

void TestEventPattern::matches()
{
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, event);
    QFETCH(bool, expected);

    Diagnostics diagnostics;
    const auto compiled = EventPattern::parse(Json::parse(pattern.constData()), kBase, diagnostics);
    QVERIFY2(compiled.has_value(), describe(diagnostics).constData());
    QVERIFY(diagnostics.empty());
    QCOMPARE(compiled->matches(Json::parse(event.constData())), expected);
}

void TestEventPattern::rejectsInvalidPatterns_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("pointer");
    QTest::addColumn<QByteArray>("message");

    invalidRow("pattern is an array", R"json(["aws.ec2"])json", "", "must be a JSON object");
    invalidRow("pattern is empty", R"json({})json", "", "empty objects are not allowed");
    invalidRow("leaf is a string", R"json({"source": "aws.ec2"})json", "/source",
               "a pattern leaf must be an array");
    invalidRow("leaf is a number", R"json({"detail": {"amount": 5}})json", "/detail/amount",
               "a pattern leaf must be an array");
    invalidRow("leaf is an empty array", R"json({"source": []})json", "/source",
               "empty arrays are not allowed");
    invalidRow("nested object is empty", R"json({"detail": {}})json", "/detail",
               "empty objects are not allowed");
    invalidRow("value is an array", R"json({"a": [["x"]]})json", "/a/0",
               "a match value must be a string, number, true, false, null or an operator object");
    invalidRow("unknown operator", R"json({"source": [{"prefx": "aws."}]})json", "/source/0/prefx",
               "unknown operator \"prefx\"");
    invalidRow("two operators in one object",
               R"json({"source": [{"prefix": "a", "suffix": "b"}]})json", "/source/0",
               "only one operator is allowed per object");
    invalidRow("operator object is empty", R"json({"source": [{}]})json", "/source/0",
               "exactly one operator");
    invalidRow("pointer escapes / and ~ in keys", R"json({"a/b": {"c~d": "x"}})json", "/a~1b/c~0d",
               "a pattern leaf must be an array");

    invalidRow("numeric with an odd number of operands",
               R"json({"detail": {"amount": [{"numeric": [">", 0, "<="]}]}})json",
               "/detail/amount/0/numeric",
               "numeric operator expects pairs of comparison and number");
    invalidRow("numeric operand is not a number",
               R"json({"detail": {"amount": [{"numeric": [">", "zero"]}]}})json",
               "/detail/amount/0/numeric/1", "must be followed by a number");
    invalidRow("numeric comparison is not a string",
               R"json({"detail": {"amount": [{"numeric": [0, ">"]}]}})json",
               "/detail/amount/0/numeric/0",
               "numeric operator expects pairs of comparison and number");
    invalidRow("numeric comparison is unknown", R"json({"n": [{"numeric": ["=>", 5]}]})json",
               "/n/0/numeric/0", "unknown numeric comparison \"=>\"");
    invalidRow("numeric range bounds in the wrong order",
               R"json({"n": [{"numeric": ["<", 5, ">", 0]}]})json", "/n/0/numeric",
               "lower bound (> or >=) followed by an upper bound");
    invalidRow("numeric range is empty", R"json({"n": [{"numeric": [">", 5, "<", 5]}]})json",
               "/n/0/numeric", "numeric range is empty");
    invalidRow("numeric is not an array", R"json({"n": [{"numeric": 5}]})json", "/n/0/numeric",
               "numeric expects an array");
    invalidRow("numeric has three comparisons",
               R"json({"n": [{"numeric": [">", 0, "<", 5, "=", 3]}]})json", "/n/0/numeric",
               "one comparison or a range of two");
    invalidRow("numeric operand beyond 5e9", R"json({"n": [{"numeric": [">", 6e9]}]})json",
               "/n/0/numeric/1", "between -5e9 and 5e9");
    invalidRow("numeric operand with 7 decimals",
               R"json({"n": [{"numeric": ["=", 0.1234567]}]})json", "/n/0/numeric/1",
               "at most 6 decimal places");

    invalidRow("cidr without a prefix length", R"json({"ip": [{"cidr": "10.0.0.0"}]})json",
               "/ip/0/cidr", "exactly one '/' is required");
    invalidRow("cidr with a bad address", R"json({"ip": [{"cidr": "10.0.0.300/24"}]})json",
               "/ip/0/cidr", "is not an IPv4 or IPv6 address");
    invalidRow("cidr with a non-integer prefix length",
               R"json({"ip": [{"cidr": "10.0.0.0/abc"}]})json", "/ip/0/cidr",
               "prefix length must be an integer");
    invalidRow("cidr IPv4 /32", R"json({"ip": [{"cidr": "10.0.0.1/32"}]})json", "/ip/0/cidr",
               "IPv4 prefix length must be below 32");
    invalidRow("cidr IPv6 /128", R"json({"ip": [{"cidr": "::1/128"}]})json", "/ip/0/cidr",
               "IPv6 prefix length must be below 128");
    invalidRow("cidr is not a string", R"json({"ip": [{"cidr": 10}]})json", "/ip/0/cidr",
               "cidr expects a string");

    invalidRow("exists is a string", R"json({"a": [{"exists": "true"}]})json", "/a/0/exists",
               "exists expects true or false");
    invalidRow("$or is an object", R"json({"$or": {"a": [1]}})json", "/$or",
               "$or must be an array of at least two objects");
    invalidRow("$or has one branch", R"json({"$or": [{"a": [1]}]})json", "/$or",
               "$or must be an array of at least two objects");
    invalidRow("$or branch is not an object", R"json({"$or": [{"a": [1]}, ["b"]]})json", "/$or/1",
               "$or must be an array of at least two objects");
    invalidRow("$or branch is empty", R"json({"$or": [{}, {"a": [1]}]})json", "/$or/0",
               "empty objects are not allowed");
    invalidRow("operator name used as a field inside $or",
               R"json({"$or": [{"numeric": [123]}, {"prefix": ["abc"]}]})json", "/$or/0/numeric",
               "cannot be a field inside $or");

    invalidRow("wildcard with consecutive stars", R"json({"k": [{"wildcard": "a**b"}]})json",
               "/k/0/wildcard", "consecutive wildcard characters");
    invalidRow("wildcard with a bad escape", R"json({"k": [{"wildcard": "a\\b"}]})json",
               "/k/0/wildcard", "invalid escape in wildcard");
    invalidRow("wildcard is not a string", R"json({"k": [{"wildcard": 1}]})json", "/k/0/wildcard",
               "wildcard expects a string");

    invalidRow("anything-but mixes strings and numbers",
               R"json({"k": [{"anything-but": ["a", 1]}]})json", "/k/0/anything-but",
               "only strings or only numbers");
    invalidRow("anything-but holds a boolean", R"json({"k": [{"anything-but": true}]})json",
               "/k/0/anything-but", "anything-but expects");
    invalidRow("anything-but with an empty list", R"json({"k": [{"anything-but": []}]})json",
               "/k/0/anything-but", "at least one value");
    invalidRow("anything-but with an unsupported operator",
               R"json({"k": [{"anything-but": {"contains": "x"}}]})json",
               "/k/0/anything-but/contains", "anything-but does not support \"contains\"");
    invalidRow("anything-but with an empty prefix",
               R"json({"k": [{"anything-but": {"prefix": ""}}]})json", "/k/0/anything-but/prefix",
               "must not be empty");
    invalidRow("anything-but number beyond 5e9",
               R"json({"k": [{"anything-but": 123456789012}]})json", "/k/0/anything-but",
               "between -5e9 and 5e9");

    invalidRow("prefix is a number", R"json({"k": [{"prefix": 5}]})json", "/k/0/prefix",
               "prefix expects a string");
    invalidRow("prefix object without equals-ignore-case",
               R"json({"k": [{"prefix": {"ignore-case": "x"}}]})json", "/k/0/prefix",
               "prefix expects a string or {\"equals-ignore-case\"");
    invalidRow("equals-ignore-case is a number", R"json({"k": [{"equals-ignore-case": 1}]})json",
               "/k/0/equals-ignore-case", "equals-ignore-case expects a string");
}

void TestEventPattern::rejectsInvalidPatterns()
{
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, pointer);
    QFETCH(QByteArray, message);

    Diagnostics diagnostics;
    const auto compiled = EventPattern::parse(Json::parse(pattern.constData()), kBase, diagnostics);
    QVERIFY(!compiled.has_value());
    QVERIFY(!diagnostics.empty());
    const std::string expectedPointer = std::string(kBase) + pointer.toStdString();
    const bool found = std::any_of(diagnostics.begin(), diagnostics.end(), [&](const auto& d) {
        return d.severity == Severity::Error && d.pointer == expectedPointer &&
               d.message.find(message.toStdString()) != std::string::npos;
    });
    QVERIFY2(found, describe(diagnostics).constData());
}

void TestEventPattern::acceptsValidPatterns_data()
{
    QTest::addColumn<QByteArray>("pattern");

    QTest::newRow("escaped star next to a wildcard")
        << QByteArray(R"json({"k": [{"wildcard": "a\\**b"}]})json");
    QTest::newRow("escaped backslash") << QByteArray(R"json({"k": [{"wildcard": "a\\\\b"}]})json");
    QTest::newRow("empty prefix") << QByteArray(R"json({"k": [{"prefix": ""}]})json");
    QTest::newRow("numeric bounds at 5e9")
        << QByteArray(R"json({"k": [{"numeric": [">=", -5e9, "<=", 5e9]}]})json");
    QTest::newRow("numeric with 6 decimals")
        << QByteArray(R"json({"k": [{"numeric": ["=", 0.123456]}]})json");
    QTest::newRow("cidr /0 and /31")
        << QByteArray(R"json({"k": [{"cidr": "0.0.0.0/0"}, {"cidr": "10.0.0.0/31"}]})json");
    QTest::newRow("anything-but list of prefixes")
        << QByteArray(R"json({"k": [{"anything-but": {"prefix": ["a", "b"]}}]})json");
    QTest::newRow("anything-but list of wildcards")
        << QByteArray(R"json({"k": [{"anything-but": {"wildcard": ["*/lib/*", "*/bin/*"]}}]})json");
    QTest::newRow("$or at two levels")
        << QByteArray(R"json({"$or": [{"a": [1]}, {"b": {"$or": [{"c": [1]}, {"d": [2]}]}}]})json");
    QTest::newRow("large exact number")
        << QByteArray(R"json({"account": [123456789012, "123456789012"]})json");
    QTest::newRow("mixed alternatives")
        << QByteArray(R"json({"k": ["a", 1, true, null, {"prefix": "b"}, {"exists": false}]})json");
}

void TestEventPattern::acceptsValidPatterns()
{
    QFETCH(QByteArray, pattern);

    Diagnostics diagnostics;
    const auto compiled = EventPattern::parse(Json::parse(pattern.constData()), kBase, diagnostics);
    QVERIFY2(compiled.has_value(), describe(diagnostics).constData());
    QVERIFY(diagnostics.empty());
}

void TestEventPattern::reportsEveryProblemAndKeepsEarlierDiagnostics()
{
    Diagnostics diagnostics(1);
    diagnostics.front().message = "earlier";
    const Json pattern = Json::parse(R"json({"source": "aws.ec2",
        "detail": {"amount": [{"numeric": [">"]}], "state": [{"prefx": "a"}]}})json");
    QVERIFY(!EventPattern::parse(pattern, kBase, diagnostics).has_value());
    QCOMPARE(diagnostics.size(), std::size_t(4));
    QCOMPARE(diagnostics.front().message, std::string("earlier"));
    QCOMPARE(diagnostics[1].pointer, std::string(kBase) + "/detail/amount/0/numeric");
    QCOMPARE(diagnostics[2].pointer, std::string(kBase) + "/detail/state/0/prefx");
    QCOMPARE(diagnostics[3].pointer, std::string(kBase) + "/source");
    QVERIFY(!diagnostics[3].fix.empty());
}

void TestEventPattern::listsFieldPaths()
{
    Diagnostics diagnostics;
    const auto compiled = EventPattern::parse(
        Json::parse(R"json({"source": ["a"], "detail": {"amount": [{"numeric": [">", 1]}],
            "$or": [{"state": ["x"]}, {"amount": [2]}, {"item": {"sku": ["y"]}}]}})json"),
        kBase, diagnostics);
    QVERIFY(compiled.has_value());
    const std::vector<std::string> expected = {"detail.amount", "detail.item.sku", "detail.state",
                                               "source"};
    QCOMPARE(compiled->fieldPaths(), expected);
}

void TestEventPattern::neverMatchesNonObjectEvents()
{
    Diagnostics diagnostics;
    const auto compiled = EventPattern::parse(Json::parse(R"json({"a": [{"exists": false}]})json"),
                                              kBase, diagnostics);
    QVERIFY(compiled.has_value());
    QVERIFY(compiled->matches(Json::object()));
    QVERIFY(!compiled->matches(Json::array()));
    QVERIFY(!compiled->matches(Json("text")));
    QVERIFY(!compiled->matches(Json()));
}

void TestEventPattern::copiesShareOneCompiledTree()
{
    Diagnostics diagnostics;
    std::optional<EventPattern> copy;
    {
        const auto compiled = EventPattern::parse(
            Json::parse(R"json({"source": [{"prefix": "aws."}]})json"), kBase, diagnostics);
        QVERIFY(compiled.has_value());
        copy = *compiled;
    }
    QVERIFY(copy->matches(Json::parse(R"json({"source": "aws.s3"})json")));
    QVERIFY(!copy->matches(Json::parse(R"json({"source": "my.app"})json")));
}

QTEST_APPLESS_MAIN(TestEventPattern)

#include "TestEventPattern.moc"
