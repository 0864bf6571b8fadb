using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Validation;

/// <summary>Every refused command says why with a stable code, and leaves the account exactly as it was.</summary>
public sealed class AccountValidationTests
{
    private static readonly MarginLevelThresholds Thresholds = MarginLevelThresholds.Default;

    public static TheoryData<string, string, Func<Account, MarketSnapshot, AccountEvent?>> Refusals => new()
    {
        { "negative fill quantity", ErrorCodes.InvalidQuantity, (a, c) => a.DecideFill(new Fill("x", "BTCUSDT", Side.Buy, -1m, 30_000m, 0m), c.Market("BTCUSDT")) },
        { "zero fill quantity", ErrorCodes.InvalidQuantity, (a, c) => a.DecideFill(new Fill("x", "BTCUSDT", Side.Buy, 0m, 30_000m, 0m), c.Market("BTCUSDT")) },
        { "quantity off the lot", ErrorCodes.InvalidQuantity, (a, c) => a.DecideFill(new Fill("x", "BTCUSDT", Side.Buy, 0.0005m, 30_000m, 0m), c.Market("BTCUSDT")) },
        { "price off the tick", ErrorCodes.InvalidPrice, (a, c) => a.DecideFill(new Fill("x", "BTCUSDT", Side.Buy, 1m, 30_000.005m, 0m), c.Market("BTCUSDT")) },
        { "negative price", ErrorCodes.InvalidPrice, (a, c) => a.DecideFill(new Fill("x", "BTCUSDT", Side.Buy, 1m, -30_000m, 0m), c.Market("BTCUSDT")) },
        { "fee finer than the asset", ErrorCodes.TooPrecise, (a, c) => a.DecideFill(new Fill("x", "BTCUSDT", Side.Buy, 1m, 30_000m, 0.000000001m), c.Market("BTCUSDT")) },
        { "undefined side", ErrorCodes.InvalidArgument, (a, c) => a.DecideFill(new Fill("x", "BTCUSDT", (Side)7, 1m, 30_000m, 0m), c.Market("BTCUSDT")) },
        { "fill for another market", ErrorCodes.InvalidArgument, (a, c) => a.DecideFill(new Fill("x", "ETHUSDT", Side.Buy, 1m, 30_000m, 0m), c.Market("BTCUSDT")) },
        { "empty fill id", ErrorCodes.InvalidId, (a, c) => a.DecideFill(new Fill(" ", "BTCUSDT", Side.Buy, 1m, 30_000m, 0m), c.Market("BTCUSDT")) },
        { "replayed fill id with other content", ErrorCodes.DuplicateConflict, (a, c) => a.DecideFill(new Fill("open", "BTCUSDT", Side.Buy, 2m, 30_000m, 0m), c.Market("BTCUSDT")) },
        { "negative deposit", ErrorCodes.InvalidAmount, (a, c) => a.DecideDeposit("d2", "USDT", -5m) },
        { "zero deposit", ErrorCodes.InvalidAmount, (a, c) => a.DecideDeposit("d2", "USDT", 0m) },
        { "deposit finer than the asset", ErrorCodes.TooPrecise, (a, c) => a.DecideDeposit("d2", "USDT", 1.000000001m) },
        { "deposit of a nameless asset", ErrorCodes.InvalidArgument, (a, c) => a.DecideDeposit("d2", "", 1m) },
        { "replayed transfer id with other content", ErrorCodes.DuplicateConflict, (a, c) => a.DecideDeposit("d1", "USDT", 1m) },
        { "withdrawal above withdrawable", ErrorCodes.AboveWithdrawable, (a, c) => a.DecideWithdrawal("w1", "USDT", 9_000m, c, Thresholds) },
        { "zero leverage", ErrorCodes.InvalidLeverage, (a, c) => a.DecideSettings("ETHUSDT", new PositionSettings(MarginMode.Cross, 0), c, Thresholds) },
        { "leverage above the bracket", ErrorCodes.LeverageAboveBracket, (a, c) => a.DecideSettings("ETHUSDT", new PositionSettings(MarginMode.Cross, 126), c, Thresholds) },
        { "mode change while open", ErrorCodes.MarginModeLocked, (a, c) => a.DecideSettings("BTCUSDT", new PositionSettings(MarginMode.Isolated, 10), c, Thresholds) },
        { "leverage the margin cannot carry", ErrorCodes.InsufficientMargin, (a, c) => a.DecideSettings("BTCUSDT", new PositionSettings(MarginMode.Cross, 1), c, Thresholds) },
        { "settings of an unknown market", ErrorCodes.UnknownMarket, (a, c) => a.DecideSettings("DOGEUSDT", new PositionSettings(MarginMode.Cross, 5), c, Thresholds) },
        { "isolated margin on a cross position", ErrorCodes.UnknownPosition, (a, c) => a.DecideIsolatedMarginChange("op1", "BTCUSDT", 10m, c, Thresholds) },
        { "isolated margin change of zero", ErrorCodes.InvalidAmount, (a, c) => a.DecideIsolatedMarginChange("op1", "BTCUSDT", 0m, c, Thresholds) },
        { "funding beyond the cap", ErrorCodes.InvalidRate, (a, c) => a.DecideFunding("s1", c.Market("BTCUSDT"), 0.5m, 30_000m) },
        { "funding at an off-tick mark", ErrorCodes.InvalidPrice, (a, c) => a.DecideFunding("s1", c.Market("BTCUSDT"), 0.0001m, 30_000.001m) },
        { "liquidation at a negative price", ErrorCodes.InvalidPrice, (a, c) => a.DecideLiquidationTrade("l1", "full", c.Market("BTCUSDT"), 1m, -30_000m, false) },
        { "deleveraging with no side", ErrorCodes.InvalidArgument, (a, c) => a.DecideDeleverage("l1", c.Market("BTCUSDT"), 1m, 2_000m, 0) },
        { "deposit pushing the wallet past the bound", ErrorCodes.OutOfBounds, (a, c) => a.DecideDeposit("d2", "USDT", GridBounds.MaxAmount) },
        { "deposit of decimal's maximum", ErrorCodes.OutOfBounds, (a, c) => a.DecideDeposit("d2", "USDT", decimal.MaxValue) },
        { "deposit with 19 significant digits", ErrorCodes.TooPrecise, (a, c) => a.DecideDeposit("d2", "USDT", 1_234_567_890.12345678m + 10_000_000_000m) },
        { "fill at a price past the bound", ErrorCodes.OutOfBounds, (a, c) => a.DecideFill(new Fill("x", "BTCUSDT", Side.Buy, 1m, GridBounds.MaxPrice + 0.01m, 0m), c.Market("BTCUSDT")) },
        { "fill whose notional passes the bound", ErrorCodes.OutOfBounds, (a, c) => a.DecideFill(new Fill("x", "BTCUSDT", Side.Buy, 100_000m, 999_999_999_999.99m, 0m), c.Market("BTCUSDT")) },
        { "funding at a mark past the bound", ErrorCodes.OutOfBounds, (a, c) => a.DecideFunding("s1", c.Market("BTCUSDT"), 0.0001m, decimal.MaxValue) },
        { "transfer id with a newline", ErrorCodes.InvalidId, (a, c) => a.DecideDeposit("t\nforged", "USDT", 1m) },
        { "transfer id with a NUL", ErrorCodes.InvalidId, (a, c) => a.DecideDeposit("t\0", "USDT", 1m) },
        { "fill id with a bidi override", ErrorCodes.InvalidId, (a, c) => a.DecideFill(new Fill("\u202Egnp.exe", "BTCUSDT", Side.Buy, 1m, 30_000m, 0m), c.Market("BTCUSDT")) },
        { "operation id of 65 characters", ErrorCodes.InvalidId, (a, c) => a.DecideIsolatedMarginChange(new string('o', 65), "BTCUSDT", 1m, c, Thresholds) },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_refused_command_says_why_and_changes_nothing(string why, string code, Func<Account, MarketSnapshot, AccountEvent?> decide)
    {
        var (account, context) = Funded();
        var balances = account.Balances.ToDictionary();
        var positions = account.Positions.Values.ToList();
        var settings = account.Settings.ToDictionary();
        var version = account.Version;

        var error = Assert.Throws<DomainException>(() => account.Execute(a => decide(a, context)));

        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message), why);
        Assert.Equal(balances, account.Balances.ToDictionary());
        Assert.Equal(positions, account.Positions.Values.ToList());
        Assert.Equal(settings, account.Settings.ToDictionary());
        Assert.Equal(version, account.Version);
    }

    [Fact]
    public void Error_codes_map_to_the_kinds_the_api_turns_into_statuses()
    {
        Assert.Equal(DomainErrorKind.Conflict, ErrorCodes.KindOf(ErrorCodes.DuplicateConflict));
        Assert.Equal(DomainErrorKind.NotFound, ErrorCodes.KindOf(ErrorCodes.UnknownMarket));
        Assert.Equal(DomainErrorKind.RuleViolation, ErrorCodes.KindOf(ErrorCodes.AboveWithdrawable));
        Assert.Equal(DomainErrorKind.RuleViolation, ErrorCodes.KindOf(ErrorCodes.LeverageAboveBracket));
        Assert.Equal(DomainErrorKind.InvalidInput, ErrorCodes.KindOf(ErrorCodes.InvalidPrice));
    }

    [Fact]
    public void An_account_id_must_be_given()
    {
        Assert.Equal(ErrorCodes.InvalidId, Assert.Throws<DomainException>(() => new Account("")).Code);
    }

    /// <summary>An account with 10,000 USDT and a cross long of 1 BTC at 30,000 (10×), marks at entry.</summary>
    private static (Account, MarketSnapshot) Funded()
    {
        var btc = TestMarkets.Linear("BTCUSDT");
        var eth = TestMarkets.Linear("ETHUSDT");
        var context = new MarketSnapshot().Add(btc, 30_000m).Add(eth, 2_000m);
        var account = new Account("trader");
        account.Execute(a => a.DecideDeposit("d1", "USDT", 10_000m));
        account.Execute(a => a.DecideSettings("BTCUSDT", new PositionSettings(MarginMode.Cross, 10), context, Thresholds));
        account.Execute(a => a.DecideFill(new Fill("open", "BTCUSDT", Side.Buy, 1m, 30_000m, 0m), btc));
        return (account, context);
    }
}
