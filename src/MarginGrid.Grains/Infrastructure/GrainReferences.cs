using System.Collections.Concurrent;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// String-keyed grain references for the hot paths (marks to shards and accounts, reports and reads to shards), without
/// the interface lookup Orleans' <c>GetGrain&lt;T&gt;(key)</c> does on every call: it reads the interface's
/// attributes by reflection each time, 3–4 % of a silo's CPU in a crash cascade (dotnet-trace, measured). The
/// interface and grain types are taken once per interface from a reference made the usual way. Silo side only:
/// every grain class is known there, so the grain type found first is the one for good.
/// </summary>
public static class GrainReferences
{
    private static readonly ConcurrentDictionary<Type, (GrainInterfaceType Interface, GrainType Grain)> Types = new();

    public static T Reference<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (!Types.TryGetValue(typeof(T), out var types))
        {
            var sample = (GrainReference)(object)grains.GetGrain<T>(key);
            types = Types.GetOrAdd(typeof(T), (sample.InterfaceType, sample.GrainId.Type));
        }

        return (T)grains.GetGrain(GrainId.Create(types.Grain, IdSpan.Create(key)), types.Interface);
    }
}
