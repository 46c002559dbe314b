"""An MCP host for the tests: the `mcp` PyPI package's stdio client
(ClientSession over stdio_client) driving `waiaas mcp` as a subprocess, the
way Claude Desktop or Claude Code would. Every tool result is checked to be
one JSON document given twice, as text and as structuredContent, and is
recorded in a transcript (written to $WAIAAS_MCP_TRANSCRIPT when set)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from conftest import bin_dir


@dataclass
class ToolAnswer:
    is_error: bool
    body: dict

    def __getitem__(self, key: str) -> Any:
        return self.body[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.body.get(key, default)

    @property
    def reason_codes(self) -> list[str]:
        return [r["code"] for r in self.body.get("reasons", [])]

    def __repr__(self) -> str:  # shown by pytest when an assertion fails
        return f"ToolAnswer(is_error={self.is_error}, body={json.dumps(self.body)[:1500]})"


class Host:
    """One initialized MCP session."""

    def __init__(self, session: ClientSession, transcript: list):
        self.session = session
        self.transcript = transcript

    async def tools(self) -> list:
        return (await self.session.list_tools()).tools

    async def call(self, name: str, **arguments: Any) -> ToolAnswer:
        result = await self.session.call_tool(name, arguments, read_timeout_seconds=90)
        assert len(result.content) == 1 and result.content[0].type == "text", result
        body = json.loads(result.content[0].text)
        assert body == result.structured_content, "the text and structuredContent must be the same JSON"
        answer = ToolAnswer(bool(result.is_error), body)
        self.transcript.append({"call": name, "arguments": arguments, "isError": answer.is_error, "result": body})
        return answer


def mcp_command(socket_path: str | None) -> list[str]:
    return ["mcp", "--socket", socket_path] if socket_path else ["mcp"]


def run_session(socket_path: str | None, scenario: Callable[[Host], Awaitable[Any]], env: dict | None = None,
                cwd: str | None = None) -> Any:
    """Starts `waiaas mcp`, initializes, runs `scenario(host)` and closes."""
    transcript: list = []

    async def main():
        params = StdioServerParameters(command=str(bin_dir() / "waiaas"), args=mcp_command(socket_path), env=env, cwd=cwd)
        with open(os.devnull, "w") as quiet:
            async with stdio_client(params, errlog=quiet) as (read, write):
                async with ClientSession(read, write) as session:
                    init = await session.initialize()
                    assert init.server_info.name == "waiaas" and init.capabilities.tools is not None, init
                    return await scenario(Host(session, transcript))

    try:
        return anyio.run(main)
    finally:
        path = os.environ.get("WAIAAS_MCP_TRANSCRIPT")
        if path and transcript:
            with open(path, "a") as out:
                for entry in transcript:
                    out.write(json.dumps(entry) + "\n")
