using MarginGrid.Domain.Common;

namespace MarginGrid.Domain.Markets;

/// <summary>
/// One perpetual contract as data (margin-rules.md section 2). Construction validates every field, so an
/// instance is always a market the rules can work with.
/// </summary>
public sealed class MarketDefinition
{
    public MarketDefinition(
        string symbol,
        MarketKind kind,
        string settleAsset,
        decimal contractSize,
        decimal tickSize,
        decimal lotSize,
        IReadOnlyList<RiskBracketSpec> brackets,
        TimeSpan fundingInterval,
        decimal interestRate,
        decimal premiumClamp,
        decimal fundingCap,
        decimal liquidationFeeRate,
        TimeSpan stalePriceLimit,
        int settleDecimals = 8,
        long version = 1)
    {
        Require.That(Identifiers.IsSymbol(symbol), ErrorCodes.InvalidMarket, "A market symbol is 1 to 32 letters, digits, '-' or '_'.");
        Require.That(Enum.IsDefined(kind), ErrorCodes.InvalidMarket, $"Unknown market kind {kind}.");
        Require.That(Identifiers.IsAsset(settleAsset), ErrorCodes.InvalidMarket, "The settlement asset is 1 to 32 letters or digits.");
        Require.Positive(contractSize, "Contract size", ErrorCodes.InvalidMarket);
        Require.Positive(tickSize, "Tick size", ErrorCodes.InvalidMarket);
        Require.Positive(lotSize, "Lot size", ErrorCodes.InvalidMarket);
        Require.That(contractSize is >= GridBounds.MinStep and <= GridBounds.MaxUnits && tickSize is >= GridBounds.MinStep and <= GridBounds.MaxPrice
            && lotSize is >= GridBounds.MinStep and <= GridBounds.MaxUnits, ErrorCodes.OutOfBounds,
            $"Contract size, tick and lot are at least {GridBounds.MinStep}; the tick at most {GridBounds.MaxPrice}, contract size and lot at most {GridBounds.MaxUnits}.");
        Require.That(brackets.All(b => b.NotionalFloor <= GridBounds.MaxNotional), ErrorCodes.OutOfBounds,
            $"A bracket's notional floor is at most {GridBounds.MaxNotional}.");
        Require.That(fundingInterval >= TimeSpan.FromMinutes(1) && fundingInterval <= TimeSpan.FromDays(7), ErrorCodes.InvalidMarket,
            "The funding interval must be between one minute and seven days.");
        Require.That(interestRate >= -0.01m && interestRate <= 0.01m, ErrorCodes.InvalidMarket, "The interest rate per interval must be within ±1%.");
        Require.NotNegative(premiumClamp, "Premium clamp", ErrorCodes.InvalidMarket);
        Require.Positive(fundingCap, "Funding cap", ErrorCodes.InvalidMarket);
        Require.That(fundingCap < 1m, ErrorCodes.InvalidMarket, "The funding cap must be below 100% per interval.");
        Require.NotNegative(liquidationFeeRate, "Liquidation fee rate", ErrorCodes.InvalidMarket);
        Require.That(liquidationFeeRate < 1m, ErrorCodes.InvalidMarket, "The liquidation fee rate must be below 1.");
        Require.That(stalePriceLimit > TimeSpan.Zero, ErrorCodes.InvalidMarket, "The stale price limit must be positive.");
        Require.That(settleDecimals is >= 0 and <= 18, ErrorCodes.InvalidMarket, "Settlement precision must be 0 to 18 decimal places.");
        Require.That(version >= 1, ErrorCodes.InvalidMarket, "A market version starts at 1.");

        Symbol = symbol;
        Kind = kind;
        SettleAsset = settleAsset;
        ContractSize = contractSize;
        HasUnitContractSize = contractSize == 1m;
        TickSize = tickSize;
        LotSize = lotSize;
        Brackets = RiskBracketTable.Create(brackets);
        FundingInterval = fundingInterval;
        InterestRate = interestRate;
        PremiumClamp = premiumClamp;
        FundingCap = fundingCap;
        LiquidationFeeRate = liquidationFeeRate;
        StalePriceLimit = stalePriceLimit;
        SettleDecimals = settleDecimals;
        Version = version;
    }

    public string Symbol { get; }
    public MarketKind Kind { get; }
    public string SettleAsset { get; }

    /// <summary>Linear: base units per unit of quantity. Inverse: quote value of one contract.</summary>
    public decimal ContractSize { get; }

    public decimal TickSize { get; }
    public decimal LotSize { get; }
    public RiskBracketTable Brackets { get; }
    public TimeSpan FundingInterval { get; }
    public decimal InterestRate { get; }
    public decimal PremiumClamp { get; }
    public decimal FundingCap { get; }
    public decimal LiquidationFeeRate { get; }
    public TimeSpan StalePriceLimit { get; }

    /// <summary>Decimal places of the settlement asset: where money moves it is rounded to this.</summary>
    public int SettleDecimals { get; }

    public long Version { get; }

    public bool IsInverse => Kind == MarketKind.Inverse;

    /// <summary>True when the contract size is exactly 1, so the contract math can skip that multiply.</summary>
    public bool HasUnitContractSize { get; }

    /// <summary>Refuses a price that is not positive or not on the tick.</summary>
    public void RequireValidPrice(decimal price, string what = "Price")
    {
        GridBounds.Within(price, GridBounds.MaxPrice, what);
        Require.Positive(price, what, ErrorCodes.InvalidPrice);
        Require.MultipleOf(price, TickSize, $"{what} of {Symbol}", ErrorCodes.InvalidPrice);
    }

    /// <summary>Refuses a quantity that is not positive or not a multiple of the lot.</summary>
    public void RequireValidQuantity(decimal quantity, string what = "Quantity")
    {
        GridBounds.Within(quantity, GridBounds.MaxUnits / ContractSize, what);
        Require.Positive(quantity, what, ErrorCodes.InvalidQuantity);
        Require.MultipleOf(quantity, LotSize, $"{what} of {Symbol}", ErrorCodes.InvalidQuantity);
    }

    /// <summary>Refuses a position (signed size at an entry price) whose units or notional at entry pass the grid's bounds.</summary>
    public void RequireWithinBounds(decimal size, decimal price, string what)
    {
        GridBounds.Within(size, GridBounds.MaxUnits / ContractSize, $"{what} size");
        if (size != 0m)
        {
            GridBounds.Within(price, GridBounds.MaxPrice, $"{what} price");
            GridBounds.Within(ContractMath.Notional(this, Math.Abs(size), price), GridBounds.MaxNotional, $"{what} notional");
        }
    }

    /// <summary>Rounds a quantity up to the next multiple of the lot.</summary>
    public decimal RoundQuantityUp(decimal quantity) => decimal.Ceiling(quantity / LotSize) * LotSize;

    public decimal RoundPriceDown(decimal price) => decimal.Floor(price / TickSize) * TickSize;

    public decimal RoundPriceUp(decimal price) => decimal.Ceiling(price / TickSize) * TickSize;

    public override string ToString() => $"{Symbol} v{Version} ({Kind}, {SettleAsset})";
}
