namespace MarginGrid.Domain.Common;

public static class SideExtensions
{
    /// <summary>+1 for a buy, −1 for a sell: the sign a fill adds to a position's size.</summary>
    public static int Sign(this Side side) => side == Side.Buy ? 1 : -1;

    public static Side Opposite(this Side side) => side == Side.Buy ? Side.Sell : Side.Buy;
}
