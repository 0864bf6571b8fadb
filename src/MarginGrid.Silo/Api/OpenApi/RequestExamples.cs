using System.Text.Json.Nodes;
using MarginGrid.Silo.Api.Requests;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MarginGrid.Silo.Api.OpenApi;

/// <summary>An example of every request body, so that an operator can send one without reading the source.</summary>
public sealed class RequestExamples : IOpenApiSchemaTransformer
{
    private static readonly Dictionary<Type, Func<JsonNode>> Examples = new()
    {
        [typeof(TransferRequest)] = () => new JsonObject { ["transferId"] = "dep-0001", ["asset"] = "USDT", ["amount"] = "10000" },
        [typeof(FillRequest)] = () => new JsonObject
        {
            ["fillId"] = "fill-0001", ["symbol"] = "BTCUSDT", ["side"] = "buy", ["quantity"] = "0.5", ["price"] = "30000", ["fee"] = "7.5",
        },
        [typeof(OrderCheckRequest)] = () => new JsonObject { ["symbol"] = "BTCUSDT", ["side"] = "buy", ["quantity"] = "0.5", ["price"] = "30000" },
        [typeof(SettingsRequest)] = () => new JsonObject { ["marginMode"] = "isolated", ["leverage"] = 20 },
        [typeof(IsolatedMarginRequest)] = () => new JsonObject { ["operationId"] = "iso-0001", ["delta"] = "250" },
        [typeof(PriceRequest)] = () => new JsonObject { ["price"] = "30000.5" },
        [typeof(IndexPriceRequest)] = () => new JsonObject { ["price"] = "30001", ["impactBid"] = "29999.5", ["impactAsk"] = "30002" },
        [typeof(FundingSettlementRequest)] = () => new JsonObject { ["settlementId"] = "BTCUSDT-2026-11-27T08", ["rate"] = "0.0001" },
        [typeof(FundDepositRequest)] = () => new JsonObject { ["transferId"] = "fund-0001", ["amount"] = "100000" },
        [typeof(BracketRequest)] = () => Bracket("0", 125, "0.004"),
        [typeof(MarketRequest)] = () => new JsonObject
        {
            ["kind"] = "linear", ["settleAsset"] = "USDT", ["contractSize"] = "1", ["tickSize"] = "0.1", ["lotSize"] = "0.001",
            ["brackets"] = new JsonArray(Bracket("0", 125, "0.004"), Bracket("50000", 100, "0.005"), Bracket("250000", 50, "0.01")),
            ["fundingIntervalHours"] = 8, ["interestRate"] = "0.0001", ["premiumClamp"] = "0.0005", ["fundingCap"] = "0.0075",
            ["liquidationFeeRate"] = "0.0125", ["stalePriceSeconds"] = 10,
        },
        [typeof(HypotheticalFillRequest)] = HypotheticalFill,
        [typeof(WhatIfRequestBody)] = () => new JsonObject
        {
            ["fills"] = new JsonArray(HypotheticalFill()),
            ["marks"] = new JsonObject { ["BTCUSDT"] = "27000" },
            ["shocks"] = new JsonObject { ["ETHUSDT"] = "-0.10" },
        },
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonPropertyInfo is null && Examples.TryGetValue(context.JsonTypeInfo.Type, out var example))
        {
            schema.Examples = [example()];
        }

        return Task.CompletedTask;
    }

    private static JsonObject Bracket(string floor, int maxLeverage, string rate) =>
        new() { ["notionalFloor"] = floor, ["maxLeverage"] = maxLeverage, ["maintenanceMarginRate"] = rate };

    private static JsonObject HypotheticalFill() => new()
    {
        ["symbol"] = "BTCUSDT", ["side"] = "sell", ["quantity"] = "0.25", ["price"] = "30500", ["fee"] = "0",
        ["marginMode"] = "cross", ["leverage"] = 10,
    };
}
