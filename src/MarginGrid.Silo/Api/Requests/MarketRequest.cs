using MarginGrid.Abstractions.Markets;

namespace MarginGrid.Silo.Api.Requests;

/// <summary>The body of <c>PUT /v1/markets/{symbol}</c>.</summary>
public sealed record MarketRequest(
    string? Kind, string? SettleAsset, decimal? ContractSize, decimal? TickSize, decimal? LotSize, IReadOnlyList<BracketRequest>? Brackets,
    int? FundingIntervalHours, decimal? InterestRate, decimal? PremiumClamp, decimal? FundingCap, decimal? LiquidationFeeRate, int? StalePriceSeconds)
    : IValidatable
{
    public (string Code, string Detail)? Validate() =>
        Required.Fields(("kind", Kind), ("settleAsset", SettleAsset), ("contractSize", ContractSize), ("tickSize", TickSize), ("lotSize", LotSize),
            ("brackets", Brackets), ("fundingIntervalHours", FundingIntervalHours), ("interestRate", InterestRate), ("premiumClamp", PremiumClamp),
            ("fundingCap", FundingCap), ("liquidationFeeRate", LiquidationFeeRate), ("stalePriceSeconds", StalePriceSeconds))
        ?? Brackets!.Select((b, i) => Required.Fields(($"brackets[{i}].notionalFloor", b?.NotionalFloor), ($"brackets[{i}].maxLeverage", b?.MaxLeverage),
            ($"brackets[{i}].maintenanceMarginRate", b?.MaintenanceMarginRate))).FirstOrDefault(p => p is not null);

    public MarketSpec ToSpec() => new(Kind!, SettleAsset!, ContractSize!.Value, TickSize!.Value, LotSize!.Value,
        [.. Brackets!.Select(b => new BracketSpec(b.NotionalFloor!.Value, b.MaxLeverage!.Value, b.MaintenanceMarginRate!.Value))],
        FundingIntervalHours!.Value, InterestRate!.Value, PremiumClamp!.Value, FundingCap!.Value, LiquidationFeeRate!.Value, StalePriceSeconds!.Value);
}
