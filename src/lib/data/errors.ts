/** A problem with the user's data or options (not a bug): the message says what to do. Example: `new DataError('calibration end 1998-07-01 is after the observation end 1998-06-30: choose an earlier calibration end')`. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}
