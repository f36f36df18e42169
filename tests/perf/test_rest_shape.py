"""The REST-shape benchmark (bench/rest_shape.py) runs on today's read model and views: the
original REST way of loading a board page against the one GraphQL request, in counts and bytes.

Nothing else calls its REST routes, so a change to the views' signatures broke it unseen once
(found only by a whole `python -m bench`). Counts only — never time.
"""

from bench import rest_shape


def test_the_rest_shape_loads_the_page_in_more_requests_and_bytes_than_graphql():
    found = rest_shape.measure(10, 2)
    rest, graphql = found["REST page"], found["GraphQL page"]
    assert (rest.http_requests, rest.http_waves) == (3, 2)  # board ∥ versions, then notes
    assert (graphql.http_requests, graphql.http_waves) == (1, 1)
    assert graphql.dynamodb_sequential == 2  # issue 16: the page in two rounds
    assert rest.response_bytes > graphql.response_bytes  # REST sends whole resources
    history = found["REST history"]
    assert history.http_requests == 2 + 2  # board, versions, and one per version's notes
    assert found["GraphQL history"].http_requests == 1
