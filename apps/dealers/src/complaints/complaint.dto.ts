import { PenaltyInputDto, PenaltyInputView } from './penalty-input.dto';

/** A complaint attributed to a dealer's service (DOMAIN §6). */
export class RecordComplaintDto extends PenaltyInputDto {}

export class ComplaintView extends PenaltyInputView {}
