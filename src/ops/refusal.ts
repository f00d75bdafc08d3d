// An operator command that refuses to act: nothing was written or changed. The CLI prints the
// message and exits 3 (the data-directory lock keeps its own exit code 4).
export class OperatorRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorRefusal';
  }
}
