import { closeTestPools } from "./db.ts";

afterAll(closeTestPools);
