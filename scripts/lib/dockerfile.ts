import { readFileSync } from "node:fs";
import { Copy, DockerfileParser, Env, From, Healthcheck, JSONInstruction, Run, type Instruction } from "dockerfile-ast";

export type Step =
  | { kind: "workdir"; path: string }
  | { kind: "env"; values: Record<string, string> }
  | { kind: "copy"; sources: string[]; destination: string; fromStage?: string; chown?: string }
  | { kind: "run"; command: string }
  | { kind: "user"; name: string }
  | { kind: "cmd"; argv: string[] }
  | { kind: "healthcheck"; argv: string[] };

export type Stage = { name: string; base: { stage: string } | { image: string }; steps: Step[] };

// Instructions that change nothing a check without Docker can perform.
const IGNORED = new Set(["ARG", "EXPOSE", "LABEL"]);

/**
 * The stages of a Dockerfile, as the steps `scripts/docker-check.ts` can perform. An instruction
 * it does not know stops it with one line, so that the Dockerfile cannot grow past the check.
 */
export function readDockerfile(file: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(readFileSync(file, "utf8")).getInstructions()) {
    const keyword = instruction.getKeyword();
    const where = `${file}:${instruction.getRange().start.line + 1}`;
    if (instruction instanceof From) {
      const image = instruction.getImage() ?? "";
      const name = instruction.getBuildStage() ?? String(stages.length);
      stages.push({
        name,
        base: stages.some((stage) => stage.name === image) ? { stage: image } : { image },
        steps: [],
      });
      continue;
    }
    if (IGNORED.has(keyword)) continue;
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${where}: ${keyword} before the first FROM`);
    stage.steps.push(stepOf(instruction, where));
  }
  return stages;
}

function stepOf(instruction: Instruction, where: string): Step {
  const keyword = instruction.getKeyword();
  const args = instruction.getArguments().map((argument) => argument.getValue());
  if (keyword === "WORKDIR") return { kind: "workdir", path: args[0]! };
  if (keyword === "USER") return { kind: "user", name: args[0]! };
  if (instruction instanceof Run && instruction.getJSONStrings().length === 0 && instruction.getFlags().length === 0) {
    return { kind: "run", command: instruction.getArgumentsContent() ?? "" };
  }
  if (instruction instanceof Env) {
    return {
      kind: "env",
      values: Object.fromEntries(instruction.getProperties().map((p) => [p.getName(), p.getValue() ?? ""])),
    };
  }
  if (instruction instanceof Copy) {
    const flags = new Map(instruction.getFlags().map((flag) => [flag.getName(), flag.getValue() ?? ""]));
    const unknown = [...flags.keys()].filter((name) => name !== "from" && name !== "chown");
    if (unknown.length > 0) throw new Error(`${where}: COPY --${unknown[0]} is not supported by this check`);
    return {
      kind: "copy",
      sources: args.slice(0, -1),
      destination: args.at(-1)!,
      fromStage: flags.get("from"),
      chown: flags.get("chown"),
    };
  }
  if (keyword === "CMD" && instruction instanceof JSONInstruction && instruction.getJSONStrings().length > 0) {
    return { kind: "cmd", argv: instruction.getJSONStrings().map((json) => json.getJSONValue()) };
  }
  if (instruction instanceof Healthcheck && instruction.getSubcommand()?.getValue() === "CMD") {
    const content = instruction.getArgumentsContent() ?? "";
    return { kind: "healthcheck", argv: JSON.parse(content.slice(content.indexOf("["))) as string[] };
  }
  throw new Error(
    `${where}: this check does not know how to perform \`${instruction.getRawArgumentsContent() ? `${keyword} ${instruction.getRawArgumentsContent()}` : keyword}\` (CMD and HEALTHCHECK must use the JSON form)`,
  );
}
