#pragma once

#include "SimulationResults.h"
#include "model/Design.h"

#include <string>
#include <vector>

namespace eventflow::sim {

/// An estimated monthly AWS bill for a design, from what a run simulated scaled to a month of
/// the same traffic (30 days of the simulated seconds after warm-up). Unit prices are us-east-1
/// on-demand list prices (PriceTable below; ../shared/aws-behaviour.md section 10 names their
/// sources), without free tiers, data transfer or storage. Producers, services and relational
/// databases are outside AWS's serverless bill and not priced; DynamoDB is not priced yet.
/// A pure function of (design, results).
struct CostLine {
    std::string component;
    std::string service;   ///< "Lambda", "SQS"...
    std::string item;      ///< "requests", "GB-seconds", "shard-hours"...
    double monthlyQuantity = 0;
    double unitPrice = 0;  ///< USD per `per` units
    double per = 1;
    double monthlyUsd = 0;
};

struct CostEstimate {
    static constexpr double kSecondsPerMonth = 30.0 * 86400.0;
    static constexpr const char* kPricesAsOf = "2026-05 (us-east-1 list prices)";

    std::vector<CostLine> lines;
    double monthlyUsd = 0;
    double monthScale = 0; ///< months of traffic per simulated second, times seconds per month

    static CostEstimate of(const model::Design& design, const SimulationResults& results);
};

/// The unit prices the estimate uses, in USD.
struct PriceTable {
    static constexpr double kLambdaPerMillionRequests = 0.20;
    static constexpr double kLambdaPerGbSecondX86 = 0.0000166667;
    static constexpr double kLambdaPerGbSecondArm = 0.0000133334;
    static constexpr double kSqsStandardPerMillion = 0.40;
    static constexpr double kSqsFifoPerMillion = 0.50;
    static constexpr double kSnsPerMillionPublishes = 0.50;
    static constexpr double kSnsPerMillionHttpDeliveries = 0.60;
    static constexpr double kEventBridgePerMillionEvents = 1.00;
    static constexpr double kStepFunctionsPerThousandTransitions = 0.025;
    static constexpr double kStepFunctionsExpressPerMillion = 1.00;
    static constexpr double kStepFunctionsExpressPerGbSecond = 0.00001667;
    static constexpr double kApiRestPerMillion = 3.50;
    static constexpr double kApiHttpPerMillion = 1.00;
    static constexpr double kKinesisPerShardHour = 0.015;
    static constexpr double kKinesisPerMillionPutUnits = 0.014;
};

} // namespace eventflow::sim
