#pragma once

#include "Design.h"
#include "Diagnostic.h"

#include <optional>
#include <string>
#include <string_view>

namespace eventflow::model {

/// The outcome of importing a template: the design when the text was a template, and every
/// problem or loss-free compromise found. Errors mean there is no design; warnings name template
/// content that became no component or connection (it is kept for export all the same).
struct ImportResult {
    std::optional<Design> design;
    Diagnostics diagnostics;
};

/// Turns an AWS SAM or CloudFormation template (YAML with short-form tags, or JSON) into a design.
///
/// Components: functions (AWS::Serverless::Function, AWS::Lambda::Function), queues, topics, event
/// buses, rules (AWS::Events::Rule with an EventPattern), streams, state machines, tables
/// (AWS::DynamoDB::Table, AWS::Serverless::SimpleTable), APIs (SAM Api/HttpApi, ApiGateway RestApi,
/// ApiGatewayV2 Api) and producers for schedules (rules with only a ScheduleExpression,
/// AWS::Scheduler::Schedule, SAM Schedule/ScheduleV2 events; constant traffic at the schedule's
/// rate). The id is the logical id in lowercase-kebab form, the label the logical id.
///
/// Nothing is lost; everything needed to write the template back is kept:
/// - component.props: the resource's Properties as written, except what became a connection
///   (a function's Events, DeadLetterQueue/DeadLetterConfig target and EventInvokeConfig OnFailure;
///   a queue's RedrivePolicy.deadLetterTargetArn; a rule's EventBusName and Targets; a topic's
///   Subscription entries). Catalogued values the simulation needs as plain values (a `!Ref`
///   Timeout, a `!Sub` inside an EventPattern, a quoted "30") are resolved (parameter defaults,
///   pseudo parameters, the first branch of an Fn::If) and the original goes to templateExtras
///   "OriginalValues" {dotted key: original}; values
///   the importer adds (SAM Globals.Function, SimpleTable on-demand, HTTP API type, stage
///   throttling) are listed in templateExtras "DerivedProps".
/// - component.templateExtras: "LogicalId", "Type" (the resource type) and every resource
///   attribute beside Type/Properties (Condition, DependsOn, Metadata, DeletionPolicy...).
///   Components with no resource of their own carry "Synthetic": "DefaultEventBus",
///   "ImplicitApi" (ServerlessRestApi / ServerlessHttpApi), "DynamoDBStream" (+ "Table"),
///   or "SamEvent" (+ "Resource", "Event", "EventType": a SAM event's rule or schedule).
/// - connection.props: the link's settings under their CloudFormation names plus every other key
///   of the event, subscription, target or mapping it came from, and "TemplateOrigin": where it
///   came from — {"Event", "EventType"} (a SAM event of the function or state machine at one
///   end), {"Property": "Targets" | "Subscription" | "RedrivePolicy" | "DeadLetterQueue" |
///   "DeadLetterConfig" | "EventInvokeConfig" | "EventBusName"}, {"Resource", "Type", attributes}
///   (an AWS::SNS::Subscription or AWS::Lambda::EventSourceMapping it replaces), or
///   {"Implied": what} when the source stays in the template verbatim (Policies, IAM roles,
///   connectors, a state machine Definition, an API integration, a mapping's DestinationConfig,
///   a schedule's targets) and the exporter writes nothing for it. "TemplateOrigin" also keeps
///   "References": how each reference to the other end was written (by dotted path: `!GetAtt
///   Queue.Arn`, a literal ARN, a DeadLetterQueue's Type), so export writes it the same way;
///   plus "OriginalValues" when
///   a catalogued link setting was resolved as for components.
/// - design.templateExtras: every top-level section but Resources, and "Resources" holding every
///   resource that became no component or connection, unchanged.
/// Components are laid out with DesignLayout. Never throws on user content.
class TemplateImporter {
public:
    static ImportResult import(std::string_view text, const std::string& sourceName);
};

} // namespace eventflow::model
