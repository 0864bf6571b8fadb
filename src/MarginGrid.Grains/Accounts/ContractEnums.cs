using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Grains.Accounts;

/// <summary>
/// Between the account contract's enums and the domain's. A value outside the enum (a client may cast any
/// integer) is refused with a coded error before anything changes.
/// </summary>
public static class ContractEnums
{
    public static Side ToDomain(OrderSide side) => side switch
    {
        OrderSide.Buy => Side.Buy,
        OrderSide.Sell => Side.Sell,
        _ => throw new DomainException(ErrorCodes.InvalidArgument, $"A side is buy or sell (was {(int)side})."),
    };

    public static MarginMode ToDomain(PositionMarginMode mode) => mode switch
    {
        PositionMarginMode.Cross => MarginMode.Cross,
        PositionMarginMode.Isolated => MarginMode.Isolated,
        _ => throw new DomainException(ErrorCodes.InvalidArgument, $"A margin mode is cross or isolated (was {(int)mode})."),
    };

    /// <summary>The domain's signed side of a position: +1 long, −1 short.</summary>
    public static int ToDomain(PositionSide side) => side switch
    {
        PositionSide.Long => 1,
        PositionSide.Short => -1,
        _ => throw new DomainException(ErrorCodes.InvalidArgument, $"A position side is long or short (was {(int)side})."),
    };

    /// <summary>The contract's side of a signed domain side (+1 long, −1 short).</summary>
    public static PositionSide ToContract(int side) => side > 0 ? PositionSide.Long : PositionSide.Short;

    public static PositionMarginMode ToContract(MarginMode mode) => mode == MarginMode.Cross ? PositionMarginMode.Cross : PositionMarginMode.Isolated;

    public static RiskLevel ToContract(MarginLevel level) => level switch
    {
        MarginLevel.Healthy => RiskLevel.Healthy,
        MarginLevel.Warning => RiskLevel.Warning,
        MarginLevel.Danger => RiskLevel.Danger,
        _ => RiskLevel.Breach,
    };
}
