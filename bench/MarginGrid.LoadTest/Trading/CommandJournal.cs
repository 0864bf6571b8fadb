using System.Collections.Concurrent;

namespace MarginGrid.LoadTest.Trading;

/// <summary>Every command sent during the run, by id, safe to add to from any thread.</summary>
public sealed class CommandJournal
{
    private readonly ConcurrentDictionary<string, JournalEntry> _entries = new(StringComparer.Ordinal);

    public IReadOnlyCollection<JournalEntry> Entries => [.. _entries.Values];

    public JournalEntry Add(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _entries.TryAdd(entry.CommandId, entry) ? entry : throw new InvalidOperationException($"Command id {entry.CommandId} was journalled twice.");
    }

    public IEnumerable<JournalEntry> Unknown => _entries.Values.Where(e => e.Outcome == CommandOutcome.Unknown);
}
