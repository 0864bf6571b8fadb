using MarginGrid.Domain.Common;

namespace MarginGrid.Domain.Ledger;

/// <summary>
/// An in-memory ledger: posts balanced transactions once each (by id) and keeps every balance as the sum
/// of its entries. It is the reference that reconciliation compares grain balances with.
/// </summary>
public sealed class LedgerBook
{
    private readonly Dictionary<string, LedgerTransaction> _transactions = new(StringComparer.Ordinal);
    private readonly Dictionary<LedgerAccount, decimal> _balances = [];
    private readonly List<LedgerEntry> _entries = [];

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    public int TransactionCount => _transactions.Count;

    /// <summary>Posts <paramref name="transaction"/>; a repeat of the same id is ignored if identical and refused if not.</summary>
    /// <returns>True when posted, false when it was a replay.</returns>
    public bool Post(LedgerTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (_transactions.TryGetValue(transaction.TransactionId, out var existing))
        {
            if (existing.Entries.SequenceEqual(transaction.Entries))
            {
                return false;
            }

            throw new DomainException(ErrorCodes.DuplicateConflict, $"Transaction {transaction.TransactionId} was already posted with other legs.");
        }

        _transactions.Add(transaction.TransactionId, transaction);
        foreach (var entry in transaction.Entries)
        {
            _balances[entry.Account] = Balance(entry.Account) + entry.Amount;
            _entries.Add(entry);
        }

        return true;
    }

    public decimal Balance(LedgerAccount account) => _balances.GetValueOrDefault(account);

    public IEnumerable<KeyValuePair<LedgerAccount, decimal>> Balances => _balances;

    /// <summary>The sum of every balance in <paramref name="asset"/>: zero in a consistent ledger.</summary>
    public decimal Total(string asset) => _balances.Where(b => b.Key.Asset == asset).Sum(b => b.Value);
}
