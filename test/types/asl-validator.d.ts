/** Types of asl-validator (the package ships JavaScript only). */
declare module 'asl-validator' {
  /** One finding of the validator. */
  export interface AslValidatorError {
    readonly 'Error code': string;
    readonly Message: string;
  }
  /** The validator's answer. */
  export interface AslValidatorResult {
    readonly isValid: boolean;
    readonly errors: readonly AslValidatorError[];
    errorsText(separator?: string): string;
  }
  /** Validates an Amazon States Language definition (it adds `QueryLanguage` to states: pass a copy). */
  export default function validator(
    definition: unknown,
    options?: { readonly checkPaths?: boolean; readonly checkArn?: boolean },
  ): AslValidatorResult;
}
