using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Ledger;

namespace MarginGrid.Grains.Persistence;

/// <summary>The idempotency key a stored event carries: an account command's key, a fund transaction's id, or a market's funding round.</summary>
public static class CommandKeys
{
    public static string? Of(object storedEvent) => storedEvent switch
    {
        AccountEvent e => e.CommandKey,
        LedgerTransaction t => t.TransactionId,
        FundingSettlement f => $"funding-round:{f.SettlementId}",
        _ => null,
    };
}
