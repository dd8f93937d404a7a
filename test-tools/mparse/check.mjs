#!/usr/bin/env node
// Checks M documents with Microsoft's own parser (@microsoft/powerquery-parser)
// so pqentra's tests know that generated and patched connector code parses.
//
// Input (stdin, or a file named as the first argument): a JSON array of
//   { "id": "any label", "text": "<M source>", "as": "section" | "expression" | "either" }
// "as" defaults to "section". Output (stdout): a JSON array, one entry per input, same order:
//   { "id", "ok": true|false, "stage": "lex"|"parse"|null, "error": "<message>"|null, "root": "<AST node kind>"|null }
// ok is true only when the parser consumed the WHOLE text (the library checks
// that after parsing) and, for "section", produced a Section node (a section document).
// Exit status: 0 when every input parsed, 1 when some did not, 2 on bad input.
//
// One process checks many inputs because node and the parser take a while to start.
import { readFileSync } from "node:fs";
import * as PQP from "@microsoft/powerquery-parser";

const behaviors = {
    section: PQP.Parser.ParseBehavior?.ParseSection ?? "ParseSection",
    expression: PQP.Parser.ParseBehavior?.ParseExpression ?? "ParseExpression",
    either: PQP.Parser.ParseBehavior?.ParseEitherExpressionOrSection ?? "ParseEitherExpressionOrSection",
};

function readInput() {
    const raw = process.argv[2] ? readFileSync(process.argv[2], "utf8") : readFileSync(0, "utf8");
    const inputs = JSON.parse(raw);
    if (!Array.isArray(inputs)) throw new Error("input must be a JSON array");
    return inputs;
}

async function check(input) {
    const as = input.as ?? "section";
    const parseBehavior = behaviors[as];
    if (parseBehavior === undefined) return { id: input.id, ok: false, stage: null, error: `unknown "as": ${as}`, root: null };
    const settings = { ...PQP.DefaultSettings, parseBehavior };
    const task = await PQP.TaskUtils.tryLexParse(settings, String(input.text ?? ""));
    if (PQP.TaskUtils.isOk(task)) {
        const root = task.ast?.kind ?? null;
        if (as === "section" && root !== "Section") {
            return { id: input.id, ok: false, stage: "parse", error: `parsed as ${root}, not a section document`, root };
        }
        return { id: input.id, ok: true, stage: null, error: null, root };
    }
    const stage = PQP.TaskUtils.isLexStage(task) ? "lex" : "parse";
    const e = task.error;
    let message = e?.message ?? String(e);
    const inner = e?.innerError;
    if (inner?.message && inner.message !== message) message += `: ${inner.message}`;
    return { id: input.id, ok: false, stage, error: message, root: null };
}

let inputs;
try {
    inputs = readInput();
} catch (err) {
    process.stderr.write(`mparse: ${err.message}\n`);
    process.exit(2);
}
const results = [];
for (const input of inputs) results.push(await check(input));
process.stdout.write(JSON.stringify(results) + "\n");
process.exit(results.every((r) => r.ok) ? 0 : 1);
