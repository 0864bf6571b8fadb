namespace MarginGrid.Domain.Tests.Vectors;

public sealed class VectorFileTests
{
    [Fact]
    public void Every_group_of_the_vector_file_has_a_test()
    {
        Assert.All(VectorFile.Cases, c => Assert.Contains(c.GetProperty("group").GetString(), VectorFile.KnownGroups));
    }

    [Fact]
    public void Every_case_says_where_its_figures_come_from()
    {
        Assert.All(VectorFile.Cases, c =>
        {
            var origin = c.GetProperty("origin").GetString();
            Assert.True(origin is "published" or "derived", $"{c.GetProperty("id")}: origin '{origin}'");

            // A published figure is only checkable if the case names the document it comes from.
            if (origin == "published")
            {
                Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("reference").GetString()), $"{c.GetProperty("id")} names no reference");
            }
        });
    }

    [Fact]
    public void Case_ids_are_unique()
    {
        var ids = VectorFile.Cases.Select(c => c.GetProperty("id").GetString()).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }
}
