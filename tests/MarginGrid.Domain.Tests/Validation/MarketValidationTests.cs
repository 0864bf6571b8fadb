using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Tests.Validation;

public sealed class MarketValidationTests
{
    private static readonly RiskBracketSpec[] Good = [new(0m, 100, 0.005m), new(50_000m, 50, 0.01m)];

    public static TheoryData<string, Func<MarketDefinition>> InvalidMarkets => new()
    {
        { "empty symbol", () => Make(symbol: "") },
        { "symbol with a space", () => Make(symbol: "BTC USDT") },
        { "zero contract size", () => Make(contractSize: 0m) },
        { "negative tick", () => Make(tick: -0.01m) },
        { "zero lot", () => Make(lot: 0m) },
        { "no brackets", () => Make(brackets: []) },
        { "first floor not zero", () => Make(brackets: [new(10m, 100, 0.005m)]) },
        { "floors not increasing", () => Make(brackets: [new(0m, 100, 0.005m), new(0m, 50, 0.01m)]) },
        { "zero leverage", () => Make(brackets: [new(0m, 0, 0.005m)]) },
        { "zero maintenance rate", () => Make(brackets: [new(0m, 100, 0m)]) },
        { "maintenance rate of one", () => Make(brackets: [new(0m, 1, 1m)]) },
        { "maintenance above initial", () => Make(brackets: [new(0m, 100, 0.02m)]) },
        { "maintenance rate falling", () => Make(brackets: [new(0m, 50, 0.01m), new(1_000m, 50, 0.005m)]) },
        { "leverage rising", () => Make(brackets: [new(0m, 50, 0.005m), new(1_000m, 100, 0.005m)]) },
        { "negative fee rate", () => Make(liquidationFeeRate: -0.01m) },
        { "zero funding cap", () => Make(fundingCap: 0m) },
        { "funding interval of a second", () => Make(fundingInterval: TimeSpan.FromSeconds(1)) },
    };

    [Theory]
    [MemberData(nameof(InvalidMarkets))]
    public void An_invalid_market_definition_is_refused_with_a_clear_message(string why, Func<MarketDefinition> create)
    {
        var error = Assert.Throws<DomainException>(create);
        Assert.Equal(ErrorCodes.InvalidMarket, error.Code);
        Assert.Equal(DomainErrorKind.InvalidInput, error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(error.Message), why);
    }

    [Fact]
    public void A_valid_market_derives_its_maintenance_amounts()
    {
        var market = Make();
        Assert.Equal([0m, 250m], market.Brackets.Brackets.Select(b => b.MaintenanceAmount));
    }

    private static MarketDefinition Make(
        string symbol = "BTCUSDT", decimal contractSize = 1m, decimal tick = 0.01m, decimal lot = 0.001m,
        RiskBracketSpec[]? brackets = null, decimal liquidationFeeRate = 0.0125m, decimal fundingCap = 0.003m, TimeSpan? fundingInterval = null) =>
        new(symbol, MarketKind.Linear, "USDT", contractSize, tick, lot, brackets ?? Good, fundingInterval ?? TimeSpan.FromHours(8),
            0.0001m, 0.0005m, fundingCap, liquidationFeeRate, TimeSpan.FromSeconds(10));
}
