#pragma once

#include "Design.h"
#include "Diagnostic.h"

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace eventflow::model {

/// SAM (AWS::Serverless-2016-10-31 transform) or plain CloudFormation resources.
enum class TemplateFlavour { Sam, CloudFormation };
enum class TemplateSyntax { Yaml, Json };

/// Turns a design into an AWS CloudFormation template. Pure and deterministic: the same design
/// gives a byte-identical template. Only `props` (AWS properties) reach the template; `sim`
/// settings never do.
///
/// Mapping rules worth knowing (docs/template-export.md has the full table):
/// - What came from a template is written back as it was: a component with `template.LogicalId`
///   and `template.Type` under that id and type, its props as stored (without `DerivedProps`,
///   with `OriginalValues` restored) and nothing generated for it; `Synthetic` components not at
///   all; a connection with `TemplateOrigin` in its original place and form (`Implied` ones not at
///   all). The CloudFormation flavour regenerates a design imported from a SAM template in full.
/// - Logical IDs are the PascalCase of the component id (alphanumerics only; a number is appended
///   on collision, in component order), or the component's `template.LogicalId`. Auxiliary
///   resources (roles, mappings, permissions, policies) are named after their component.
/// - Producers, services and relational databases are not AWS resources: they are not exported,
///   and neither are connections that end at them or that no AWS resource can carry (an API route
///   to a service, an API sending to a queue). Each is listed under
///   `Metadata.EventFlow.NotExported` with the reason.
/// - Permissions follow the connections, scoped to the one resource each connection reaches:
///   SAM policy templates in SAM, equivalent inline IAM statements in CloudFormation.
/// - Unknown `props` keys are copied into the resource's Properties (the design wins over what
///   the exporter generates); the design's and components' `template` content is merged back.
///
/// Problems in the design that make part of it inexpressible (a rule without EventPattern,
/// more than five rule targets) are reported as diagnostics; export still produces a template.
class TemplateExporter {
public:
    static nlohmann::ordered_json build(const Design& design, TemplateFlavour flavour,
                                        Diagnostics& diagnostics);
    /// JSON with two-space indentation, or block YAML; intrinsic functions stay in their long
    /// form ({"Ref": ...}, {"Fn::GetAtt": [...]}) in both. Ends with a newline.
    static std::string write(const nlohmann::ordered_json& tmpl, TemplateSyntax syntax);
    /// The state name a SAM export gives each Task of state machine `machine` in its
    /// definition, by connection index: the target's kind of call and logical id ("Invoke" +
    /// logical id for a function), numbered on collision in connection order. Tasks whose
    /// target is not exported have none.
    static std::map<std::size_t, std::string> taskStateNames(const Design& design,
                                                             std::size_t machine);
};

} // namespace eventflow::model
