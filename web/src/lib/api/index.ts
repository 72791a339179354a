export { Api, collectAll, type Page, type TaskQuery, type TokenSource } from "./client";
export { ApiError, errorMessage, isApiError, type ErrorBody } from "./errors";
export * from "./types";
