"""Store selection: --store over LEGALGRAPH_STORE over legalgraph.toml, with errors that say what to fix."""

from __future__ import annotations

import pytest

from legalgraph.errors import LegalgraphError as StoreError
from legalgraph.settings import load_store_config as load_config
from legalgraph.store.remote import Endpoints


def test_default_is_the_embedded_store(tmp_path):
    cfg = load_config(env={}, cwd=tmp_path)
    assert (cfg.url, cfg.remote, cfg.origin) == (None, False, "default")


def test_command_line_beats_environment_beats_file(tmp_path):
    (tmp_path / "legalgraph.toml").write_text('[store]\nurl = "http://file:1/query"\nunion = "server"\n')
    from_file = load_config(env={}, cwd=tmp_path)
    assert (from_file.url, from_file.union, from_file.origin) == ("http://file:1/query", "server",
                                                                   str(tmp_path / "legalgraph.toml"))
    from_env = load_config(env={"LEGALGRAPH_STORE": "http://env:2/query"}, cwd=tmp_path)
    assert (from_env.url, from_env.union, from_env.origin) == ("http://env:2/query", "server", "LEGALGRAPH_STORE")
    from_cli = load_config("http://cli:3/query", env={"LEGALGRAPH_STORE": "http://env:2/query"}, cwd=tmp_path)
    assert (from_cli.url, from_cli.origin, from_cli.remote) == ("http://cli:3/query", "--store", True)


def test_a_directory_selects_the_embedded_store(tmp_path):
    cfg = load_config(str(tmp_path / "db"), env={}, cwd=tmp_path)
    assert not cfg.remote and cfg.url == str(tmp_path / "db")


def test_config_file_named_by_environment(tmp_path):
    f = tmp_path / "elsewhere.toml"
    f.write_text('[store]\nurl = "http://x:9/sparql"\ntimeout = 5\n')
    cfg = load_config(env={"LEGALGRAPH_CONFIG": str(f)}, cwd=tmp_path)
    assert (cfg.url, cfg.timeout) == ("http://x:9/sparql", 5.0)


def test_bad_toml_names_file_and_line(tmp_path):
    (tmp_path / "legalgraph.toml").write_text('[store]\nurl = "http://x\n')
    with pytest.raises(StoreError, match=r"legalgraph.toml: not valid TOML \(.*line 2"):
        load_config(env={}, cwd=tmp_path)


def test_unknown_key_lists_the_valid_ones(tmp_path):
    (tmp_path / "legalgraph.toml").write_text('[store]\nendpoint = "http://x:1/query"\n')
    with pytest.raises(StoreError, match=r"unknown key\(s\) store.endpoint; the \[store\] table takes auth, gsp, "
                                         r"timeout, union, update, url"):
        load_config(env={}, cwd=tmp_path)


def test_passwords_are_not_read_from_files(tmp_path):
    (tmp_path / "legalgraph.toml").write_text('[store]\npassword = "secret"\n')
    with pytest.raises(StoreError, match="set LEGALGRAPH_STORE_PASSWORD"):
        load_config(env={}, cwd=tmp_path)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("LEGALGRAPH_STORE_UNION", "all", "must be 'graphs' or 'server'"),
    ("LEGALGRAPH_STORE_TIMEOUT", "soon", "is not a number of seconds"),
    ("LEGALGRAPH_STORE_AUTH", "ntlm", "must be 'basic' or 'digest'"),
])
def test_bad_values_are_named_with_their_origin(tmp_path, key, value, message):
    with pytest.raises(StoreError, match=message):
        load_config(env={"LEGALGRAPH_STORE": "http://x:1/query", key: value}, cwd=tmp_path)


def test_oxigraph_layout_is_derived_and_others_are_explicit():
    ox = Endpoints.from_url("http://127.0.0.1:7878/query")
    assert (ox.update, ox.gsp) == ("http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")
    fuseki = Endpoints.from_url("http://h:3030/ds/sparql")
    assert (fuseki.update, fuseki.gsp) == ("http://h:3030/ds/update", "http://h:3030/ds/data")
    fuseki = Endpoints.from_url("http://h:3030/ds/query")
    assert (fuseki.update, fuseki.gsp) == ("http://h:3030/ds/update", "http://h:3030/ds/data")
    virtuoso = Endpoints.from_url("http://h:8890/sparql", gsp="http://h:8890/sparql-graph-crud-auth")
    assert (virtuoso.update, virtuoso.gsp) == (None, "http://h:8890/sparql-graph-crud-auth")
    with pytest.raises(StoreError, match="is not a SPARQL endpoint URL"):
        Endpoints.from_url("ftp://h/query")
