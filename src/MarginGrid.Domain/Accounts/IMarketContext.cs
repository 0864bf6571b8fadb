using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Accounts;

/// <summary>The markets and their current marks that an account command or evaluation reads.</summary>
public interface IMarketContext
{
    /// <summary>The market's definition; throws <c>unknown_market</c> when there is none.</summary>
    MarketDefinition Market(string symbol);

    /// <summary>The market's current mark; throws <c>unknown_market</c> when there is none yet.</summary>
    decimal Mark(string symbol);
}
