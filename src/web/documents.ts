/**
 * Every GraphQL document the web client sends, in one place: when the API
 * changes, this is the file to adapt.
 */

export const USER_FIELDS = `rowId username role emailVerified profile { rowId displayName age intent locationCity locationCountry preferences }`;
export const PUBLIC_PROFILE_FIELDS = `userId displayName age intent locationCity locationCountry shortBio presence`;
export const CALL_FIELDS = `rowId interactionType makesOffer startedAt endedAt outcome femaleUserId user1Id user2Id partnerProfile { ${PUBLIC_PROFILE_FIELDS} }`;
export const LIVE_MESSAGE_FIELDS = `rowId chatRoomId senderUserId content messageType isEdited isDeleted createdAt`;
export const MESSAGE_FIELDS = `${LIVE_MESSAGE_FIELDS} messageReadStatuses { nodes { userId } }`;
export const CONNECTION_FIELDS = `rowId connectionType isActive femaleUserId user1Id user2Id createdAt chatRoom { rowId unreadCount }`;
export const VIDEO_REQUEST_FIELDS = `rowId connectionId status requesterUserId approverUserId expiresAt`;

export const REGISTER = `mutation Register($input: RegisterInput!) { register(input: $input) { result } }`;
export const LOGIN = `mutation Login($usernameOrEmail: String!, $password: String!) {
  login(input: { usernameOrEmail: $usernameOrEmail, password: $password }) { result }
}`;
export const REQUEST_PASSWORD_RESET = `mutation RequestPasswordReset($email: String!) { requestPasswordReset(input: { email: $email }) { result } }`;
export const VERIFY_EMAIL = `mutation VerifyEmail($token: String!) { verifyEmail(input: { token: $token }) { result } }`;
export const RESET_PASSWORD = `mutation ResetPassword($token: String!, $newPassword: String!) {
  resetPassword(input: { token: $token, newPassword: $newPassword }) { result }
}`;
export const RESEND_EMAIL_VERIFICATION = `mutation ResendEmailVerification { resendEmailVerification(input: {}) { result } }`;
export const LOGOUT = `mutation Logout { logout(input: {}) { result } }`;
export const LOGOUT_EVERYWHERE = `mutation LogoutEverywhere { logoutEverywhere(input: {}) { result } }`;
export const DELETE_ACCOUNT = `mutation DeleteAccount($password: String!) { deleteAccount(input: { password: $password }) { result } }`;
export const CHANGE_PASSWORD = `mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(input: { currentPassword: $currentPassword, newPassword: $newPassword }) { result }
}`;
export const CURRENT_USER = `query CurrentUser { currentUser { ${USER_FIELDS} } }`;
export const UPDATE_PROFILE = `mutation UpdateProfile($rowId: UUID!, $patch: ProfilePatch!) {
  updateProfile(input: { rowId: $rowId, patch: $patch }) { profile { rowId } }
}`;
export const ICE_SERVERS = `query IceServers { iceServers { urls username credential } }`;

export const HEARTBEAT = `mutation Heartbeat { heartbeat(input: {}) { result } }`;
export const ENTER_QUEUE = `mutation EnterQueue { enterQueue(input: {}) { result { queuedAt } } }`;
export const LEAVE_QUEUE = `mutation LeaveQueue { leaveQueue(input: {}) { result } }`;

export const JOIN_CALL = `mutation JoinCall($id: UUID!) { joinCall(input: { interactionId: $id }) { result { rowId } } }`;
export const SEND_SIGNAL = `mutation SendSignal($id: UUID!, $kind: CallSignalKind!, $payload: JSON!) {
  sendCallSignal(input: { interactionId: $id, kind: $kind, payload: $payload }) { result { rowId } }
}`;
export const END_CALL = `mutation EndCall($id: UUID!) { endCall(input: { interactionId: $id }) { result { ${CALL_FIELDS} } } }`;
export const SKIP_CALL = `mutation SkipCall($id: UUID!) { skipCall(input: { interactionId: $id }) { result { ${CALL_FIELDS} } } }`;
export const CONNECT = `mutation Connect($id: UUID!) { connect(input: { interactionId: $id }) { result { ${CONNECTION_FIELDS} } } }`;
export const START_VIDEO_CALL = `mutation StartVideoCall($connectionId: UUID!) {
  startVideoCall(input: { connectionId: $connectionId }) { result { ${CALL_FIELDS} } }
}`;

export const CONNECTIONS = `query Connections {
  connections(orderBy: [CREATED_AT_DESC]) { nodes { ${CONNECTION_FIELDS} } }
  publicProfiles { nodes { ${PUBLIC_PROFILE_FIELDS} } }
}`;
export const CONNECTION = `query Connection($id: UUID!) {
  connection(rowId: $id) {
    ${CONNECTION_FIELDS}
    videoRequests(condition: { status: pending }) { nodes { ${VIDEO_REQUEST_FIELDS} } }
  }
}`;
export const PUBLIC_PROFILE = `query PublicProfile($userId: UUID!) { publicProfile(userId: $userId) { ${PUBLIC_PROFILE_FIELDS} } }`;
export const MESSAGES = `query Messages($chatRoomId: UUID!, $after: Cursor) {
  chatRoom(rowId: $chatRoomId) {
    messages(orderBy: [CREATED_AT_DESC, ROW_ID_DESC], first: 30, after: $after) {
      nodes { ${MESSAGE_FIELDS} }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
export const SEND_MESSAGE = `mutation SendMessage($chatRoomId: UUID!, $content: String!) {
  sendMessage(input: { chatRoomId: $chatRoomId, content: $content, messageType: text }) { result { ${MESSAGE_FIELDS} } }
}`;
export const EDIT_MESSAGE = `mutation EditMessage($id: UUID!, $content: String!) {
  editMessage(input: { messageId: $id, content: $content }) { result { ${MESSAGE_FIELDS} } }
}`;
export const DELETE_MESSAGE = `mutation DeleteMessage($id: UUID!) { deleteMessage(input: { messageId: $id }) { result { ${MESSAGE_FIELDS} } } }`;
export const MARK_ROOM_READ = `mutation MarkRoomRead($chatRoomId: UUID!, $upTo: UUID!) {
  markRoomRead(input: { chatRoomId: $chatRoomId, upToMessageId: $upTo }) { result }
}`;
export const SEND_TYPING = `mutation SendTyping($chatRoomId: UUID!) { sendTyping(input: { chatRoomId: $chatRoomId }) { result } }`;
export const REQUEST_VIDEO = `mutation RequestVideo($connectionId: UUID!) {
  requestVideo(input: { connectionId: $connectionId }) { result { ${VIDEO_REQUEST_FIELDS} } }
}`;
export const ANSWER_VIDEO_REQUEST = `mutation AnswerVideoRequest($id: UUID!, $approve: Boolean!) {
  answerVideoRequest(input: { videoRequestId: $id, approve: $approve }) { result { ${VIDEO_REQUEST_FIELDS} } }
}`;

export const BLOCK_USER = `mutation BlockUser($userId: UUID!) { blockUser(input: { userId: $userId }) { clientMutationId } }`;
export const REPORT_USER = `mutation ReportUser($userId: UUID!, $reason: String!, $interactionId: UUID, $messageId: UUID) {
  reportUser(input: { userId: $userId, reason: $reason, interactionId: $interactionId, messageId: $messageId }) { clientMutationId }
}`;

export const USER_EVENTS = `subscription UserEvents {
  userEvents {
    event
    interaction { ${CALL_FIELDS} }
    signal { rowId interactionId kind payload }
    connection { ${CONNECTION_FIELDS} }
    profile { ${PUBLIC_PROFILE_FIELDS} }
    message { ${LIVE_MESSAGE_FIELDS} }
    videoRequest { ${VIDEO_REQUEST_FIELDS} }
  }
}`;
export const ROOM_EVENTS = `subscription RoomEvents($chatRoomId: UUID!) {
  roomEvents(chatRoomId: $chatRoomId) { event chatRoomId userId typingUntil message { ${LIVE_MESSAGE_FIELDS} } }
}`;

/** The shapes the documents above return. */
export interface PublicProfile {
  userId: string;
  displayName: string | null;
  age: number | null;
  intent: string | null;
  locationCity: string | null;
  locationCountry: string | null;
  shortBio: string | null;
  presence: "online" | "in_call" | "offline" | null;
}
export interface Profile {
  rowId: string;
  displayName: string;
  age: number | null;
  intent: string;
  locationCity: string | null;
  locationCountry: string | null;
  preferences: { age_min?: number; age_max?: number; same_country_only?: boolean } | null;
}
export interface CurrentUser {
  rowId: string;
  username: string;
  role: "female" | "male" | "admin";
  emailVerified: boolean;
  profile: Profile | null;
}
export interface Call {
  rowId: string;
  interactionType: string | null;
  makesOffer: boolean | null;
  startedAt: string | null;
  endedAt: string | null;
  outcome: string | null;
  femaleUserId: string | null;
  user1Id: string;
  user2Id: string;
  partnerProfile: PublicProfile | null;
}
export interface Message {
  rowId: string;
  chatRoomId: string;
  senderUserId: string;
  content: string;
  messageType: "text" | "image" | "video" | "voice" | "system" | null;
  isEdited: boolean | null;
  isDeleted: boolean | null;
  createdAt: string;
  /** Who read it; live events carry none (their message is a LiveMessage). */
  messageReadStatuses?: { nodes: Array<{ userId: string }> };
}
export interface Connection {
  rowId: string;
  connectionType: "chat_only" | "video_enabled" | null;
  isActive: boolean | null;
  femaleUserId: string;
  user1Id: string;
  user2Id: string;
  createdAt: string;
  chatRoom: { rowId: string; unreadCount: number | null } | null;
}
export interface VideoRequest {
  rowId: string;
  connectionId: string;
  status: "pending" | "approved" | "rejected" | "expired" | null;
  requesterUserId: string;
  approverUserId: string;
  expiresAt: string | null;
}
export interface Signal {
  rowId: string;
  interactionId: string;
  kind: "offer" | "answer" | "ice" | "hangup";
  payload: Record<string, unknown>;
}
export interface UserEvent {
  event: string;
  interaction: Call | null;
  signal: Signal | null;
  connection: Connection | null;
  profile: PublicProfile | null;
  message: Message | null;
  videoRequest: VideoRequest | null;
}
export interface RoomEvent {
  event: string;
  chatRoomId: string;
  userId: string | null;
  typingUntil: string | null;
  message: Message | null;
}
export interface IceServer {
  urls: string[];
  username: string | null;
  credential: string | null;
}
