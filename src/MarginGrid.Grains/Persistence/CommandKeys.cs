using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Ledger;

namespace MarginGrid.Grains.Persistence;

/// <summary>The idempotency key a stored event carries: an account command's key, or a fund transaction's id.</summary>
public static class CommandKeys
{
    public static string? Of(object storedEvent) => storedEvent switch
    {
        AccountEvent e => e.CommandKey,
        LedgerTransaction t => t.TransactionId,
        _ => null,
    };
}
