using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// Orleans' own meters reach the scrape, except its directory cache size: Orleans walks the whole cache to count it
/// on every collection, which cost a silo a few percent of its CPU in a crash cascade.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class OrleansMetricsTests(GridApp app)
{
    [Fact]
    public async Task Orleans_meters_are_scraped_without_the_directory_cache_walk()
    {
        var scrape = await app.Anonymous.Get("/metrics");

        Assert.Contains("orleans_catalog_activations", scrape.Body, StringComparison.Ordinal);
        Assert.Contains("orleans_directory_lookups", scrape.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("orleans_directory_cache_size", scrape.Body, StringComparison.Ordinal);
    }
}
