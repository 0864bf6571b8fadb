using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using MarginGrid.Grid.Tests.Support;
using MarginGrid.Tests.Shared;

namespace MarginGrid.Grid.Tests.Contract;

/// <summary>docs/http-api.md and the OpenAPI document name the same routes: one heading per route on the page.</summary>
[Collection(GridCollection.Name)]
public sealed partial class HttpApiPageTests(GridApp app)
{
    [Fact]
    public async Task The_page_documents_every_route_of_the_document_and_no_other()
    {
        var document = JsonNode.Parse(await OpenApiDocumentTests.Served(app))!;
        var served = OpenApiDocumentTests.Operations(document).Select(o => $"{o.Method.ToUpperInvariant()} {o.Path}").ToHashSet();
        var page = RouteHeading().Matches(await File.ReadAllTextAsync(RepoPaths.Of("docs", "http-api.md")))
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToList();

        Assert.Equal(page.Count, page.Distinct().Count());
        Assert.Empty(served.Except(page).Order());
        Assert.Empty(page.Except(served).Order());
    }

    [GeneratedRegex(@"^### (GET|POST|PUT|DELETE|PATCH) (/\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex RouteHeading();
}
