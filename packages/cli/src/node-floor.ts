/** The oldest Node.js we run on: Node 22 LTS, the Lambda runtime (nodejs22.x); commander needs 22.12. */
export const NODE_FLOOR = '22.12.0';

export function nodeIsSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [floorMajor = 0, floorMinor = 0] = NODE_FLOOR.split('.').map(Number);
  return major > floorMajor || (major === floorMajor && minor >= floorMinor);
}
