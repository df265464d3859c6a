"""The public page micro-cache: local writes show at once, other processes' within the TTL."""

from coachctl.engine import coaches
from coachctl.server.web import PageCache


def test_cache_serves_repeat_reads_and_drops_on_a_local_write(coach):
    cache = PageCache(ttl=60)
    calls = []

    def compute():
        calls.append(1)
        return coaches.get_coach("jane").headline

    assert cache.get("jane", compute) == "Leadership coach"
    assert cache.get("jane", compute) == "Leadership coach"
    assert len(calls) == 1
    coaches.edit_coach(coach, headline="New headline")
    assert cache.get("jane", compute) == "New headline"


def test_zero_ttl_disables_the_cache(coach):
    cache = PageCache(ttl=0)
    calls = []
    cache.get("jane", lambda: calls.append(1))
    cache.get("jane", lambda: calls.append(1))
    assert len(calls) == 2


def test_an_edit_shows_on_the_next_request(client, coach):
    assert client.get("/jane").html.select_one(".headline").text == "Leadership coach"
    coaches.edit_coach(coach, headline="Changed")
    assert client.get("/jane").html.select_one(".headline").text == "Changed"
