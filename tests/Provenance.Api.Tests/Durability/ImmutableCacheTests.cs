using Provenance.Api.Data;

namespace Provenance.Api.Tests.Durability;

/// <summary>The in-memory cache of values that never change (actors, pieces, sealed keys, address texts).</summary>
public sealed class ImmutableCacheTests
{
    [Fact]
    public async Task GetOrLoadAsync_NotFoundThenFound_RemembersOnlyTheFoundRow()
    {
        var cache = new ImmutableCache<string, string>();
        var loads = 0;
        string? row = null;
        Task<string?> Load()
        {
            loads++;
            return Task.FromResult(row);
        }

        (await cache.GetOrLoadAsync("a", Load)).Should().BeNull();
        row = "committed";
        (await cache.GetOrLoadAsync("a", Load)).Should().Be("committed", "a row not found is looked up again");
        row = "changed underneath";
        (await cache.GetOrLoadAsync("a", Load)).Should().Be("committed", "a found row is remembered");
        loads.Should().Be(2);
    }

    [Fact]
    public void GetOrAdd_AtCapacity_EmptiedAndFillsAgain()
    {
        var cache = new ImmutableCache<int, string>(capacity: 3);
        var created = new List<int>();
        string Create(int k)
        {
            created.Add(k);
            return $"v{k}";
        }

        foreach (var k in new[] { 1, 2, 3, 1, 4, 1 })
        {
            cache.GetOrAdd(k, Create).Should().Be($"v{k}");
        }

        // 1, 2, 3 made; 1 remembered; 4 found the cache full (emptied, then 4 held); 1 made again.
        created.Should().Equal(1, 2, 3, 4, 1);
    }
}
